"""A handed-off conversation as staff see it (console/conversation.py), from Rasa's tracker JSON."""

from console.conversation import WECHAT_WINDOW, conversation_view, fact_rows, subject_label, transcript

NOW = 1_800_000_000.0


def test_facts_get_their_labels_and_values_and_a_flag_its_words():
    rows = {r["path"]: r for r in fact_rows({"hukou": "other", "employee_medical_months": 14,
                                             "works_in_ningbo": True, "children.age": 4, "nothing": None,
                                             "work_months_confirmed_as_medical_months": True})}
    assert rows["hukou"]["value"] == "外地户籍" and rows["hukou"]["label"] == "本人户籍"
    assert rows["employee_medical_months"]["value"].startswith("14") and "月" in rows["employee_medical_months"]["value"]
    assert rows["works_in_ningbo"]["value"] == "是"
    assert "nothing" not in rows
    assert rows["work_months_confirmed_as_medical_months"]["label"] != "work_months_confirmed_as_medical_months"


def test_the_transcript_says_who_said_what():
    lines = transcript([
        {"event": "user", "text": "转人工", "timestamp": NOW},
        {"event": "bot", "text": "正在转接", "timestamp": NOW + 1},
        {"event": "pause", "timestamp": NOW + 1},
        {"event": "bot", "text": "请稍候", "timestamp": NOW + 2, "metadata": {"said_by": "channel"}},
        {"event": "bot", "text": "您好", "timestamp": NOW + 3, "metadata": {"said_by": "staff", "staff": "王芳"}},
        {"event": "resume", "timestamp": NOW + 4},
        {"event": "slot", "name": "x", "value": 1},
    ])
    assert [(line.who, line.kind or line.text) for line in lines] == [
        ("worker", "转人工"), ("bot", "正在转接"), ("event", "handoff"), ("channel", "请稍候"), ("staff", "您好"),
        ("event", "release")]
    assert lines[4].name == "王芳"


def test_a_wechat_conversation_shows_its_48_hour_window():
    tracker = {"paused": True, "slots": {"handoff_summary": {"facts": {"hukou": "other"}, "topic": None}},
               "events": [{"event": "user", "text": "你好", "timestamp": NOW, "input_channel": "wechat"},
                          {"event": "pause", "timestamp": NOW + 5}]}
    open_view = conversation_view("o1", tracker, NOW + 3600)
    assert open_view.paused and open_view.window_open and open_view.window_ends_at == NOW + WECHAT_WINDOW
    assert open_view.handed_off_at == NOW + 5 and open_view.facts[0]["value"] == "外地户籍"
    closed = conversation_view("o1", tracker, NOW + WECHAT_WINDOW + 1)
    assert not closed.window_open
    rest = conversation_view("r1", {"events": [{"event": "user", "text": "hi", "timestamp": NOW,
                                                "input_channel": "rest"}]}, NOW)
    assert rest.window_ends_at is None and rest.window_open and not rest.paused


def test_the_queue_names_the_programme_asked_about_or_why_it_was_handed_over():
    assert subject_label("ask_human", "ask_child_medical_insurance") == "外来劳动者子女参加宁波城乡居民医保"
    assert subject_label("ask_human", None) == "工人要求转人工"
