"""The page's own script: what the chat's links do, and Chinese for the words Gradio's widgets show in English.

Gradio's Chinese locale leaves some tooltips and screen-reader labels in English ("Copy message", "Fullscreen");
staff see tooltips, so every exact English label of :data:`CHINESE` is replaced, as the page first renders and
whenever Gradio adds widgets (a MutationObserver). Report text is never touched: only whole attribute values and
whole text nodes that equal a known label change.
"""

from __future__ import annotations

import json

#: Gradio's English labels and their Chinese (tooltips, aria labels, placeholders, button text)
CHINESE: dict[str, str] = {
    "Copy conversation": "复制整段对话",
    "Copy message": "复制这条消息",
    "Copy table data": "复制表格数据",
    "Copy": "复制",
    "Copied!": "已复制",
    "Copied": "已复制",
    "Fullscreen": "全屏",
    "Exit fullscreen mode": "退出全屏",
    "Exit fullscreen": "退出全屏",
    "Click to upload or drop files": "点击上传或把文件拖到这里",
    "File upload": "上传文件",
    "More tabs": "更多标签页",
    "Open cell menu": "打开单元格菜单",
    "Table actions": "表格操作",
    "chatbot conversation": "对话",
    "Clear": "清除",
    "Download": "下载",
    "Retry": "重试",
    "Undo": "撤销",
    "Share": "分享",
    "Like": "有用",
    "Dislike": "没用",
    "Edit": "编辑",
    "Remove": "移除",
    "Close": "关闭",
    "Submit": "提交",
    "Loading...": "正在加载…",
    "Error": "错误",
    "Sort": "排序",
    "Search": "搜索",
    "Upload": "上传",
    "Drop File Here": "把文件拖到这里",
    "Click to Upload": "点击上传",
    "or": "或",
    "Login": "登录",
    "Username": "用户名",
    "Password": "密码",
    "Incorrect Credentials": "用户名或密码错误",
    "common.complete": "完成",  # an i18n key Gradio's Chinese locale shows untranslated
}
#: screen-reader labels Gradio starts with an English prefix ("bot's message: …")
PREFIXES: dict[str, str] = {"bot's message: ": "回答：", "user's message: ": "提问："}

#: a click on [n] in the chat opens citation card n in the sources panel and scrolls it into view
_CLICK = """
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.govqa-ref");
    if (!link) return;
    const card = document.getElementById(link.getAttribute("href").slice(1));
    if (!card) return;
    event.preventDefault();
    card.open = true;
    card.classList.add("govqa-flash");
    setTimeout(() => card.classList.remove("govqa-flash"), 1500);
    card.scrollIntoView({behavior: "smooth", block: "center"});
  });
"""


_CHINESE = """
  const words = WORDS, prefixes = PREFIXES;
  const attrs = ["title", "aria-label", "placeholder", "alt"];
  const fix = (el) => {
    for (const a of attrs) {
      const v = el.getAttribute && el.getAttribute(a);
      if (!v) continue;
      const t = v.trim();
      if (words[t]) { el.setAttribute(a, words[t]); continue; }
      for (const p in prefixes) if (v.startsWith(p)) { el.setAttribute(a, prefixes[p] + v.slice(p.length)); break; }
    }
  };
  const walk = (root) => {
    if (root.nodeType === 3) {
      const t = root.nodeValue.trim();
      if (words[t] && !(root.parentElement && root.parentElement.closest(".govqa-sources, .message, textarea")))
        root.nodeValue = root.nodeValue.replace(t, words[t]);
      return;
    }
    if (root.nodeType !== 1) return;
    fix(root);
    for (const el of root.querySelectorAll("*")) fix(el);
    const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = texts.nextNode(); n; n = texts.nextNode()) walk(n);
  };
  walk(document.body);
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "attributes") fix(c.target);
      else for (const n of c.addedNodes) walk(n);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: attrs});
""".replace("WORDS", json.dumps(CHINESE, ensure_ascii=False)).replace("PREFIXES", json.dumps(PREFIXES, ensure_ascii=False))

#: the script Gradio runs once the page has loaded
PAGE_JS = "() => {\n" + _CLICK + _CHINESE + "}\n"
