// The text analyser of full-text search (languages.md §4.5), the same for
// indexed text and for queries: split on every character that is not a
// letter or digit, drop tokens longer than 40 characters, lower-case, fold
// to ASCII where a letter has an ASCII base (é -> e, ß -> ss), drop English
// stop words, then stem with the Snowball English stemmer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::engine::search::text {

inline constexpr size_t kMaxTokenChars = 40;

// The tokens of `text`, in order, repeats kept. Invalid UTF-8 bytes act as
// separators.
std::vector<std::string> tokenize(std::string_view text);

// The same, appending to `out` (reuses its capacity).
void tokenize(std::string_view text, std::vector<std::string>& out);

// Whether `word` (lower-case, folded) is an English stop word.
bool is_stop_word(std::string_view word);

// The Snowball English stem of a lower-case word.
std::string stem(std::string_view word);

}  // namespace omnigraph::engine::search::text
