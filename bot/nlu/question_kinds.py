"""Kinds of question the topic classifiers cannot tell apart from the topic they name, decided by the
deterministic readers after the classifiers (the classifiers' ranking is kept):

- a question about a subject neither document covers (工伤, 公积金, 失业金 …: knowledge/data/referrals.yaml, words
  that occur in neither document) is ``out_of_scope``: the dialogue names who covers it, never the nearest
  clause. The subject must be in the question — the message's last clause, where people put it: in
  "已认定工伤，就赔偿协商不成，咨询劳动争议仲裁途径" 工伤 is the story and 仲裁 the question;
- a question about the documents themselves (a part named by its number, or a document word: 原文,
  责任单位, 征求意见, 哪几条 …: knowledge/data/navigation.yaml ``document_words``) is ``ask_document``: 户口迁移
  那条的原文 wants the text, not the 落户 questionnaire; so is who is responsible for a topic (免费培训归谁管,
  零工市场是哪个部门在弄: ``responsibility_questions``) when the message states no facts, and a message the
  classifiers were unsure of that asks an aspect of the documents (条目清单发一下, 这些政策是最新的吗);
- a follow-up on how to apply that the text never answers (materials, where, fees; when/how long only when
  no topic was found) is ``ask_procedure``: the dialogue says the text is silent and names the department.
  Not when the message states facts (户口在安徽…社保交了一年半 能落户吗 要啥材料): that is a question of
  eligibility first, and the verdict names the department too;
- "which policies are there for me" with no topic found (facts + 有哪些政策我能享受, read as inform) is
  ``ask_overview``: every worker programme, not the topic menu; so is the same question asked by an employer
  about its workers (员工…他们可以享受的政策), which the classifiers give the enterprise's awards;
- a reference to one item of a list the assistant showed (第二个呢, 详细说说第3项, 最后那个) that names no
  document and no document word is ``ask_item``: the dialogue expands that item of the last list (with no
  list shown, a part of the documents: 第三条). 第二个孩子, 第二次, 第一个5岁 and 我有两个孩子，第一个在老家
  are no reference;
- the same question for another person with no topic named (那我老婆呢, 我儿子也可以吗, 那俺自己呢: the fact
  reader's subjects, ``facts.person_asked``) is ``ask_person``: the dialogue answers the topic in context for
  that person (actions/people.py).

Button payloads (``/intent``) and intents that mean the conversation itself (转人工, 算了, 重新开始, 再见)
are left alone. The readers see the message as typed (before clause segmentation).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

import facts
from bot.nlu.segmenter import SEGMENTED
from facts.text import normalize_text
from knowledge import navigation
from knowledge.referrals import referral_for

OUT_OF_SCOPE, ASK_DOCUMENT, ASK_PROCEDURE, ASK_OVERVIEW, ASK_ITEM, ASK_PERSON = "out_of_scope", "ask_document", \
    "ask_procedure", "ask_overview", "ask_item", "ask_person"
ORGANISATION = "ask_organisation_award"
KEEP = frozenset({"ask_human", "stop", "restart", "goodbye"})
SEPARATORS = re.compile(r"[\s，。；！？、,.;!?…~]+")
# Aspects that ask about the documents as a whole (which, their list, their status); 找哪个部门 and 怎么写的
# also go with a topic question (老板拖欠工资找哪个部门 另外劳动合同一直不签咋办: two topic questions).
WHOLE_DOCUMENT_ASPECTS = frozenset({"documents", "list", "status"})
NO_TOPIC = frozenset({DEFAULT_NLU_FALLBACK_INTENT_NAME, "inform", OUT_OF_SCOPE, ASK_PROCEDURE})


def question_kind(text: str, intent: str | None) -> str | None:
    """The intent a message must have whatever the classifiers said, or None to keep theirs."""
    if intent == "restart" and refers_to_item(text):
        return ASK_ITEM   # 头一个再说细点: 再说 is no 重新开始, and restarting would lose the list
    if intent in KEEP:
        return None
    if referral_for(question_clause(text)) is not None:
        return OUT_OF_SCOPE
    if refers_to_item(text):
        return ASK_ITEM
    if intent == ASK_DOCUMENT:
        return None
    if navigation.names_a_document_part(text):
        return ASK_DOCUMENT
    if navigation.asks_who_is_responsible(text) and not states_facts(text):
        return ASK_DOCUMENT   # 免费培训归谁管: the department line, not the programme's questionnaire
    aspects = navigation.procedure_aspects(text)
    if aspects and (set(aspects) & navigation.procedure_always() or intent in NO_TOPIC) and not states_facts(text):
        return ASK_PROCEDURE
    if intent == DEFAULT_NLU_FALLBACK_INTENT_NAME and not states_facts(text) \
            and set(navigation.aspects_of(normalize_text(text))) & WHOLE_DOCUMENT_ASPECTS:
        return ASK_DOCUMENT   # 你说的这些政策是最新的吗 / 条目清单发一下: the classifiers unsure, the documents asked about
    if intent in NO_TOPIC and navigation.asks_overview(text):
        return ASK_OVERVIEW
    if intent == ORGANISATION and navigation.asks_overview_for_workers(text):
        return ASK_OVERVIEW   # 我司HR…新进员工…他们可以享受的政策: the workers' overview, not the enterprise's awards
    # a procedure question names what it asks (材料, 去哪, 多久…): without one, 那我老婆呢 asks for a person
    if (intent in NO_TOPIC - {ASK_PROCEDURE} or intent == ASK_PROCEDURE and not aspects) \
            and facts.person_asked(text) is not None:
        return ASK_PERSON
    return None


def question_clause(text: str) -> str:
    """The message's last part between punctuation or spaces: where people put the question (the fact
    reader's finer clauses would cut 公积金 | 能用来付房租吗 apart)."""
    parts = [p for p in SEPARATORS.split(normalize_text(text)) if p]
    return parts[-1] if parts else ""


def refers_to_item(text: str) -> bool:
    """第二个呢 / 详细说说第3项: an item of a list by its position, with no document named (北仑第三条) and no
    document word (第三条原文). Facts may come with it (第一个不符合是为啥 俺干环卫好多年了): the form takes them."""
    if navigation.item_reference(text) is None:
        return False
    text = normalize_text(text)
    return navigation.document_cue(text) is None and not any(w in text for w in navigation.document_words())


def states_facts(text: str) -> bool:
    reading = facts.read(text)
    return bool(reading.facts or reading.vague)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuestionKindIntent(GraphComponent):
    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> QuestionKindIntent:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = (message.get(SEGMENTED) or {}).get("text") or message.get(TEXT)
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            kind = question_kind(text, intent)
            if kind is not None and kind != intent:
                message.set(INTENT, {INTENT_NAME_KEY: kind, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
        return messages
