package dev.nalu.task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * English number words for 1 … 999 as Trask et al. (2018, Table 3) read them: the 29 tokens
 * "and", "one" … "nineteen", "twenty" … "ninety", "hundred", written as in "three hundred and
 * forty two" (no hyphens; "and" after "hundred" when tens or ones follow). Token ids are 1 … 29 in
 * that order; 0 is padding (Madsen and Johansen's reconstruction uses the same order).
 */
public final class NumberWords {
    /** The 29 tokens; token id = index + 1. */
    public static final List<String> TOKENS = List.of("and", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
            "hundred");
    public static final int VOCABULARY = TOKENS.size();
    public static final int PADDING = 0;
    /** The longest number in words, "seven hundred and seventy seven": 5 tokens. */
    public static final int MAX_TOKENS = 5;
    public static final int MIN = 1;
    public static final int MAX = 999;
    private static final int AND = 1;
    private static final int HUNDRED = 29;
    private static final Map<String, Integer> IDS = new HashMap<>();
    private static final Map<String, Integer> VALUES = new HashMap<>();

    static {
        for (int i = 0; i < TOKENS.size(); i++) {
            IDS.put(TOKENS.get(i), i + 1);
        }
        for (int n = MIN; n <= MAX; n++) {
            VALUES.put(words(n), n);
        }
    }

    private NumberWords() {
    }

    /** A word that is not one of the 29 tokens; {@link #word()} names it, {@link #position()} says where it is. */
    public static final class UnknownWordException extends IllegalArgumentException {
        private final String word;
        private final int position;

        UnknownWordException(String word, int position) {
            super("unknown word '" + word + "' (word " + position + " of the text): the words are one … nineteen,"
                    + " twenty … ninety, hundred and 'and'");
            this.word = word;
            this.position = position;
        }

        public String word() {
            return word;
        }

        /** The word's place in the text, counted from 1. */
        public int position() {
            return position;
        }
    }

    /** The token ids of n in words, 1 ≤ n ≤ 999: 342 → three, hundred, and, forty, two. */
    public static int[] tokens(int n) {
        if (n < MIN || n > MAX) {
            throw new IllegalArgumentException(n + " is not between " + MIN + " and " + MAX);
        }
        List<Integer> ids = new ArrayList<>();
        int hundreds = n / 100;
        int rest = n % 100;
        if (hundreds > 0) {
            ids.add(ones(hundreds));
            ids.add(HUNDRED);
            if (rest > 0) {
                ids.add(AND);
            }
        }
        if (rest > 0 && rest < 20) {
            ids.add(ones(rest));
        } else if (rest >= 20) {
            ids.add(IDS.get(TOKENS.get(20 + rest / 10 - 2)));
            if (rest % 10 > 0) {
                ids.add(ones(rest % 10));
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The id of "one" … "nineteen" for 1 … 19. */
    private static int ones(int n) {
        return n + 1;
    }

    /** n in words: 342 → "three hundred and forty two". */
    public static String words(int n) {
        List<String> w = new ArrayList<>();
        for (int id : tokens(n)) {
            w.add(TOKENS.get(id - 1));
        }
        return String.join(" ", w);
    }

    /**
     * The token ids of a text: words separated by spaces or hyphens, any case ("Forty-two" reads as
     * forty, two). Refuses a word outside the 29 tokens, naming it, and more than {@code maxTokens}
     * words. Any sequence of known words is accepted: the model reads tokens, not grammar.
     */
    public static int[] tokenize(String text, int maxTokens) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the text has no words");
        }
        String[] words = text.trim().toLowerCase(Locale.ROOT).split("[\\s-]+");
        if (words.length > maxTokens) {
            throw new IllegalArgumentException("the text has " + words.length + " words; at most " + maxTokens + " are read");
        }
        int[] ids = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            Integer id = IDS.get(words[i]);
            if (id == null) {
                throw new UnknownWordException(words[i], i + 1);
            }
            ids[i] = id;
        }
        return ids;
    }

    /**
     * A text as a number-words model's input: its token ids as values, one a step (no padding needed for
     * one sequence), for {@code SequenceNetwork.predictOne(x, 0, x.length)}. Refuses as {@link #tokenize}.
     */
    public static double[] input(String text, int maxTokens) {
        return java.util.Arrays.stream(tokenize(text, maxTokens)).asDoubleStream().toArray();
    }

    /** The value of a number written as {@link #words} writes it; refuses unknown words and other word orders. */
    public static int parse(String text) {
        int[] ids = tokenize(text, MAX_TOKENS + 1);
        List<String> w = new ArrayList<>();
        for (int id : ids) {
            w.add(TOKENS.get(id - 1));
        }
        Integer value = VALUES.get(String.join(" ", w));
        if (value == null) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a number from one to nine hundred and"
                    + " ninety nine written as 'three hundred and forty two'");
        }
        return value;
    }
}
