#!/usr/bin/env python3
"""Renders the expected prompts in this folder from the real templates with Jinja2, the way Hugging Face
transformers does (trim_blocks, lstrip_blocks). Run it after changing a template or conversations.json.
The leading BOS is cut off: Quire's formatChat leaves it to the tokenizer."""
import glob, json, os
import jinja2

TOKENS = {  # bos, eos per template
    "chatml": ("", "<|im_end|>"), "qwen2": ("", "<|im_end|>"),
    "llama3": ("<|begin_of_text|>", "<|eot_id|>"), "llama31": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama2": ("<s>", "</s>"), "mistral": ("<s>", "</s>"), "mistral-v3": ("<s>", "</s>"),
    "gemma": ("<bos>", "<eos>"), "gemma3": ("<bos>", "<eos>"), "phi3": ("<s>", "<|endoftext|>"),
    "deepseek3": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "deepseek-r1": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "deepseek-llm": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
}

def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)

here = os.path.dirname(os.path.abspath(__file__))
env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
env.globals["raise_exception"] = raise_exception
conversations = json.load(open(os.path.join(here, "conversations.json")))
for old in glob.glob(os.path.join(here, "expected", "*.txt")):
    os.remove(old)
os.makedirs(os.path.join(here, "expected"), exist_ok=True)
for path in sorted(glob.glob(os.path.join(here, "*.jinja"))):
    name = os.path.basename(path)[:-len(".jinja")]
    template = env.from_string(open(path, encoding="utf-8").read())
    bos, eos = TOKENS[name]
    for conv, messages in conversations.items():
        for prompt in (False, True):
            try:
                text = template.render(messages=messages, add_generation_prompt=prompt, bos_token=bos, eos_token=eos)
            except jinja2.exceptions.TemplateError:
                continue  # the template refuses this conversation
            if bos and text.startswith(bos):
                text = text[len(bos):]
            out = os.path.join(here, "expected", f"{name}.{conv}.{'prompt' if prompt else 'noprompt'}.txt")
            open(out, "w", encoding="utf-8", newline="").write(text)
