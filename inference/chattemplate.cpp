#include "inference/chattemplate.h"

namespace quire::inference
{

namespace
{

bool has(std::string_view text, std::string_view needle)
{
    return text.find(needle) != std::string_view::npos;
}

// Jinja's `trim` / Python's strip() on ASCII whitespace.
std::string trim(std::string_view s)
{
    const char *space = " \t\n\r\f\v";
    const std::size_t first = s.find_first_not_of(space);
    if (first == std::string_view::npos)
        return {};
    return std::string(s.substr(first, s.find_last_not_of(space) - first + 1));
}

const char *roleName(ChatRole role)
{
    switch (role) {
    case ChatRole::System:
        return "system";
    case ChatRole::User:
        return "user";
    case ChatRole::Assistant:
        return "assistant";
    }
    return "user";
}

// Splits off leading system messages (joined by a blank line) as the templates that hoist them do.
struct Hoisted {
    std::string system;
    bool hasSystem = false;
    std::vector<ChatMessage> rest;
};

Hoisted hoistSystem(std::span<const ChatMessage> messages, bool allSystems)
{
    Hoisted h;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const ChatMessage &m = messages[i];
        if (m.role == ChatRole::System && (allSystems || i == 0)) {
            h.system += (h.hasSystem ? "\n\n" : "") + m.content;
            h.hasSystem = true;
        } else {
            h.rest.push_back(m);
        }
    }
    return h;
}

std::string formatChatMl(const ChatTemplate &t, std::span<const ChatMessage> messages, bool prompt)
{
    std::string out;
    if (!t.defaultSystemPrompt.empty() && (messages.empty() || messages[0].role != ChatRole::System))
        out += "<|im_start|>system\n" + t.defaultSystemPrompt + "<|im_end|>\n";
    for (const ChatMessage &m : messages)
        out += std::string("<|im_start|>") + roleName(m.role) + "\n" + m.content + "<|im_end|>\n";
    if (prompt)
        out += "<|im_start|>assistant\n";
    return out;
}

std::string formatLlama3(ChatFamily family, std::span<const ChatMessage> messages, bool prompt)
{
    std::string out;
    if (family == ChatFamily::Llama31) {
        const bool first = !messages.empty() && messages[0].role == ChatRole::System;
        out += "<|start_header_id|>system<|end_header_id|>\n\n"
               "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";
        out += (first ? trim(messages[0].content) : std::string()) + "<|eot_id|>";
        if (first)
            messages = messages.subspan(1);
    }
    for (const ChatMessage &m : messages)
        out += std::string("<|start_header_id|>") + roleName(m.role) + "<|end_header_id|>\n\n" + trim(m.content)
            + "<|eot_id|>";
    if (prompt)
        out += "<|start_header_id|>assistant<|end_header_id|>\n\n";
    return out;
}

std::string formatLlama2(std::span<const ChatMessage> messages)
{
    const Hoisted h = hoistSystem(messages, false);
    std::string out;
    bool first = true;
    for (const ChatMessage &m : h.rest) {
        if (m.role == ChatRole::System) // the template writes nothing for a later system message
            continue;
        std::string content = m.content;
        if (first && h.hasSystem)
            content = "<<SYS>>\n" + h.system + "\n<</SYS>>\n\n" + content;
        if (m.role == ChatRole::Assistant) {
            out += " " + trim(content) + " </s>";
        } else {
            out += (out.empty() ? "" : "<s>") + std::string("[INST] ") + trim(content) + " [/INST]";
        }
        first = false;
    }
    return out;
}

std::string formatMistral(std::span<const ChatMessage> messages)
{
    const Hoisted h = hoistSystem(messages, false);
    std::string out;
    bool firstUser = true;
    for (const ChatMessage &m : h.rest) {
        if (m.role == ChatRole::System)
            continue;
        if (m.role == ChatRole::Assistant) {
            out += m.content + "</s>";
            continue;
        }
        const std::string prefix = firstUser && h.hasSystem ? h.system + "\n\n" : std::string();
        out += "[INST] " + prefix + m.content + " [/INST]";
        firstUser = false;
    }
    return out;
}

std::string formatMistralV3(std::span<const ChatMessage> messages)
{
    const Hoisted h = hoistSystem(messages, false);
    std::string out;
    for (std::size_t i = 0; i < h.rest.size(); ++i) {
        const ChatMessage &m = h.rest[i];
        if (m.role == ChatRole::System)
            continue;
        if (m.role == ChatRole::Assistant) {
            out += " " + trim(m.content) + "</s>";
            continue;
        }
        const bool last = i + 1 == h.rest.size();
        out += "[INST] " + (last && h.hasSystem ? h.system + "\n\n" : std::string()) + m.content + "[/INST]";
    }
    return out;
}

std::string formatGemma(std::span<const ChatMessage> messages, bool prompt)
{
    const Hoisted h = hoistSystem(messages, false);
    std::string out;
    for (std::size_t i = 0; i < h.rest.size(); ++i) {
        const ChatMessage &m = h.rest[i];
        const char *role = m.role == ChatRole::Assistant ? "model" : roleName(m.role);
        const std::string prefix = i == 0 && h.hasSystem ? h.system + "\n\n" : std::string();
        out += std::string("<start_of_turn>") + role + "\n" + prefix + trim(m.content) + "<end_of_turn>\n";
    }
    if (prompt)
        out += "<start_of_turn>model\n";
    return out;
}

std::string formatDeepSeek(ChatFamily family, std::span<const ChatMessage> messages, bool prompt)
{
    const Hoisted h = hoistSystem(messages, true);
    std::string out = h.system;
    for (const ChatMessage &m : h.rest) {
        if (m.role == ChatRole::User) {
            out += "<｜User｜>" + m.content;
            continue;
        }
        std::string content = m.content;
        const std::size_t think = content.rfind("</think>");
        if (family == ChatFamily::DeepSeekR1 && think != std::string::npos)
            content = content.substr(think + 8);
        out += "<｜Assistant｜>" + content + "<｜end▁of▁sentence｜>";
    }
    if (prompt)
        out += family == ChatFamily::DeepSeekR1 ? "<｜Assistant｜><think>\n" : "<｜Assistant｜>";
    return out;
}

std::string formatTranscript(ChatFamily family, std::span<const ChatMessage> messages, bool prompt)
{
    const std::string endOfAnswer = family == ChatFamily::DeepSeekLegacy ? "<｜end▁of▁sentence｜>" : "\n\n";
    std::string out;
    for (const ChatMessage &m : messages) {
        switch (m.role) {
        case ChatRole::System:
            out += m.content + "\n\n";
            break;
        case ChatRole::User:
            out += "User: " + m.content + "\n\n";
            break;
        case ChatRole::Assistant:
            out += "Assistant: " + m.content + endOfAnswer;
            break;
        }
    }
    if (prompt)
        out += "Assistant:";
    return out;
}

std::string formatPhi3(const ChatTemplate &t, std::span<const ChatMessage> messages)
{
    std::string out;
    for (const ChatMessage &m : messages) {
        switch (m.role) {
        case ChatRole::System:
            if (!t.dropsSystem)
                out += "<|system|>\n" + m.content + "<|end|>\n";
            break;
        case ChatRole::User:
            out += "<|user|>\n" + m.content + "<|end|>\n<|assistant|>\n";
            break;
        case ChatRole::Assistant:
            out += m.content + "<|end|>\n";
            break;
        }
    }
    return out;
}

// The text of a Jinja string literal that follows `marker` up to `end`, with \n escapes resolved; empty
// when the text is not a plain literal (it is built from variables).
std::string literalAfter(std::string_view jinja, std::string_view marker, std::string_view end)
{
    const std::size_t start = jinja.find(marker);
    if (start == std::string_view::npos)
        return {};
    const std::size_t from = start + marker.size();
    const std::size_t stop = jinja.find(end, from);
    if (stop == std::string_view::npos)
        return {};
    const std::string_view text = jinja.substr(from, stop - from);
    if (text.find_first_of("'\"{}+") != std::string_view::npos)
        return {};
    return std::string(text);
}

} // namespace

ChatFamily detectChatFamily(std::string_view jinja)
{
    if (has(jinja, "<|im_start|>"))
        return ChatFamily::ChatML;
    if (has(jinja, "<|start_header_id|>"))
        return has(jinja, "Cutting Knowledge Date") ? ChatFamily::Llama31 : ChatFamily::Llama3;
    if (has(jinja, "<start_of_turn>"))
        return ChatFamily::Gemma;
    if (has(jinja, "<｜User｜>"))
        return has(jinja, "<｜Assistant｜><think>") ? ChatFamily::DeepSeekR1 : ChatFamily::DeepSeek;
    if (has(jinja, "<|user|>") && has(jinja, "<|assistant|>") && has(jinja, "<|end|>"))
        return ChatFamily::Phi3;
    if (has(jinja, "<<SYS>>"))
        return ChatFamily::Llama2;
    if (has(jinja, "[INST]"))
        return has(jinja, "' [/INST]'") || has(jinja, "\" [/INST]\"") ? ChatFamily::Mistral : ChatFamily::MistralV3;
    if (has(jinja, "User: ") && has(jinja, "Assistant:"))
        return ChatFamily::DeepSeekLegacy;
    return ChatFamily::Plain;
}

ChatTemplate detectChatTemplate(std::string_view jinja)
{
    ChatTemplate t;
    t.family = detectChatFamily(jinja);
    if (t.family == ChatFamily::ChatML)
        t.defaultSystemPrompt = literalAfter(jinja, "<|im_start|>system\\n", "<|im_end|>");
    if (t.family == ChatFamily::Phi3)
        t.dropsSystem = !has(jinja, "<|system|>");
    return t;
}

std::string chatFamilyName(ChatFamily family)
{
    switch (family) {
    case ChatFamily::Plain:
        return "plain";
    case ChatFamily::ChatML:
        return "chatml";
    case ChatFamily::Llama2:
        return "llama2";
    case ChatFamily::Llama3:
        return "llama3";
    case ChatFamily::Llama31:
        return "llama3.1";
    case ChatFamily::Mistral:
        return "mistral";
    case ChatFamily::MistralV3:
        return "mistral-v3";
    case ChatFamily::Gemma:
        return "gemma";
    case ChatFamily::DeepSeek:
        return "deepseek3";
    case ChatFamily::DeepSeekR1:
        return "deepseek-r1";
    case ChatFamily::DeepSeekLegacy:
        return "deepseek";
    case ChatFamily::Phi3:
        return "phi3";
    }
    return "plain";
}

std::string formatChat(ChatFamily family, std::span<const ChatMessage> messages, bool addAssistantPrompt)
{
    ChatTemplate t;
    t.family = family;
    return formatChat(t, messages, addAssistantPrompt);
}

std::string formatChat(const ChatTemplate &t, std::span<const ChatMessage> messages, bool addAssistantPrompt)
{
    switch (t.family) {
    case ChatFamily::ChatML:
        return formatChatMl(t, messages, addAssistantPrompt);
    case ChatFamily::Llama3:
    case ChatFamily::Llama31:
        return formatLlama3(t.family, messages, addAssistantPrompt);
    case ChatFamily::Llama2:
        return formatLlama2(messages);
    case ChatFamily::Mistral:
        return formatMistral(messages);
    case ChatFamily::MistralV3:
        return formatMistralV3(messages);
    case ChatFamily::Gemma:
        return formatGemma(messages, addAssistantPrompt);
    case ChatFamily::DeepSeek:
    case ChatFamily::DeepSeekR1:
        return formatDeepSeek(t.family, messages, addAssistantPrompt);
    case ChatFamily::Phi3:
        return formatPhi3(t, messages);
    case ChatFamily::DeepSeekLegacy:
    case ChatFamily::Plain:
        return formatTranscript(t.family, messages, addAssistantPrompt);
    }
    return formatTranscript(ChatFamily::Plain, messages, addAssistantPrompt);
}

std::vector<std::string> chatStopStrings(ChatFamily family)
{
    switch (family) {
    case ChatFamily::ChatML:
        return { "<|im_end|>" };
    case ChatFamily::Llama3:
    case ChatFamily::Llama31:
        return { "<|eot_id|>" };
    case ChatFamily::Llama2:
    case ChatFamily::Mistral:
    case ChatFamily::MistralV3:
        return { "</s>" };
    case ChatFamily::Gemma:
        return { "<end_of_turn>" };
    case ChatFamily::DeepSeek:
    case ChatFamily::DeepSeekR1:
        return { "<｜end▁of▁sentence｜>" };
    case ChatFamily::DeepSeekLegacy:
        return { "<｜end▁of▁sentence｜>", "\n\nUser:" };
    case ChatFamily::Phi3:
        return { "<|end|>" };
    case ChatFamily::Plain:
        return { "\n\nUser:" };
    }
    return {};
}

} // namespace quire::inference
