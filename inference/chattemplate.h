#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

// The prompt formats we reproduce. We do not run Jinja: detectChatFamily() recognises the family from a
// GGUF's `tokenizer.chat_template` text and formatChat() writes what that template writes.
enum class ChatFamily {
    Plain, // no or unknown template: "User: ...\n\nAssistant:" (our own, not a model's)
    ChatML, // <|im_start|>role\n...<|im_end|>\n (Qwen 2/2.5/3, Hermes, Yi, ...)
    Llama2, // <s>[INST] <<SYS>>\n...\n<</SYS>>\n\n... [/INST] ... </s>
    Llama3, // <|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|> (Llama 3)
    Llama31, // Llama 3.1+: always a system turn with "Cutting Knowledge Date" / "Today Date"
    Mistral, // [INST] ... [/INST]...</s> (Mistral 7B v0.1/v0.2, Mixtral)
    MistralV3, // [INST] ...[/INST] ...</s>, system prompt in the last user turn (Mistral v0.3)
    Gemma, // <start_of_turn>user\n...<end_of_turn>\n, assistant is "model"
    DeepSeek, // <｜User｜>...<｜Assistant｜>...<｜end▁of▁sentence｜> (DeepSeek V3)
    DeepSeekR1, // as DeepSeek, the prompt opens <think>, history keeps only text after </think>
    DeepSeekLegacy, // "User: ...\n\nAssistant: ...<｜end▁of▁sentence｜>" (DeepSeek LLM / V2)
    Phi3, // <|user|>\n...<|end|>\n<|assistant|>\n (Phi-3)
};

enum class ChatRole { System, User, Assistant };

struct ChatMessage {
    ChatRole role = ChatRole::User;
    std::string content;
};

// What a family's template does beyond its markup.
struct ChatTemplate {
    ChatFamily family = ChatFamily::Plain;
    // ChatML templates that insert a system turn when the chat has none (Qwen 2: "You are a helpful
    // assistant.", Qwen 2.5: "You are Qwen, created by Alibaba Cloud. ...").
    std::string defaultSystemPrompt;
    // Phi-3 mini's template ignores system messages.
    bool dropsSystem = false;
};

ChatFamily detectChatFamily(std::string_view jinja);
ChatTemplate detectChatTemplate(std::string_view jinja);
// A stable lower-case name ("chatml", "llama3.1", "deepseek-r1", ...), used by `quire model-info`.
std::string chatFamilyName(ChatFamily family);

// The prompt text for a conversation. BOS: the template's leading `bos_token` is NOT written; the
// tokenizer adds it (add_bos_token), as llama.cpp does. Special tokens in the middle of a conversation
// (Llama 2's `</s><s>`, `<|eot_id|>`, ...) are written as text, so tokenise with special-token parsing on.
// Where a template would raise (Mistral v0.1 and Gemma 1/2 reject system messages; roles that do not
// alternate), we do what the family's newer template does instead: system text goes in front of the first
// user message, followed by a blank line. addAssistantPrompt appends the assistant header (ignored by
// Llama 2, Mistral and Phi-3, whose templates always end a user turn ready for the answer).
std::string formatChat(ChatFamily family, std::span<const ChatMessage> messages, bool addAssistantPrompt);
std::string formatChat(
    const ChatTemplate &chatTemplate, std::span<const ChatMessage> messages, bool addAssistantPrompt);

// End-of-turn markers as text, for StopStrings when special tokens are rendered as text.
std::vector<std::string> chatStopStrings(ChatFamily family);

} // namespace quire::inference
