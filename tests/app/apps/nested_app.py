"""AppTest script: a form with a section inside a section and a repeat group inside that,
drawn in the editor and read-only (``session_state["readonly"]``)."""

import streamlit as st
from pydantic import BaseModel

from forms.fields import field
from forms.renderer import render_form, render_readonly


class Contact(BaseModel):
    phone: str = field("电话", en="Phone", default="")


class Member(BaseModel):
    name: str = field("姓名", en="Name", default="")


class Details(BaseModel):
    contact: Contact = field("联系人", en="Contact", default_factory=Contact)
    members: list[Member] = field("成员", en="Members", default_factory=list)


class Outer(BaseModel):
    title: str = field("标题", en="Title", default="")
    details: Details = field("基本信息", en="Basics", default_factory=Details)


data = {"title": "x", "details": {"contact": {"phone": "1"}, "members": [{"name": "甲"}]}}
if st.session_state.get("readonly"):
    render_readonly(Outer, data)
else:
    render_form(Outer, data, key="nested")
