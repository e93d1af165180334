package io.prefixflow.runtime.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a prompt at literal occurrences of user-defined tokens, the part of llama.cpp's special-token
 * partition that stays active when special tokens are not parsed ({@code parse_special = false}): control
 * and unknown tokens such as {@code <s>} are left as plain text, user-defined ones become their token.
 *
 * <p>Longer tokens are cut out first, each over the whole text, as llama.cpp does.
 */
final class UserDefinedTokenSplitter {
    /** A piece of the prompt: raw text to tokenize ({@code tokenId == -1}) or one token. */
    record Fragment(String text, int tokenId) {
        boolean isRawText() {
            return tokenId < 0;
        }
    }

    private final List<Integer> tokenIds;
    private final String[] tokens;

    UserDefinedTokenSplitter(Vocabulary vocabulary) {
        this.tokens = vocabulary.tokens();
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < tokens.length; id++) {
            if (vocabulary.types()[id] == TokenType.USER_DEFINED && !tokens[id].isEmpty()) {
                ids.add(id);
            }
        }
        ids.sort(Comparator.comparingInt((Integer id) -> tokens[id].length()).reversed());
        this.tokenIds = List.copyOf(ids);
    }

    List<Fragment> split(String text) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(new Fragment(text, -1));
        for (int id : tokenIds) {
            String token = tokens[id];
            List<Fragment> cut = new ArrayList<>(fragments.size());
            for (Fragment f : fragments) {
                if (!f.isRawText() || !f.text().contains(token)) {
                    cut.add(f);
                    continue;
                }
                int from = 0;
                for (int at = f.text().indexOf(token); at >= 0; at = f.text().indexOf(token, from)) {
                    if (at > from) {
                        cut.add(new Fragment(f.text().substring(from, at), -1));
                    }
                    cut.add(new Fragment(token, id));
                    from = at + token.length();
                }
                if (from < f.text().length()) {
                    cut.add(new Fragment(f.text().substring(from), -1));
                }
            }
            fragments = cut;
        }
        return fragments;
    }
}
