"""String problems of the code suite."""

from __future__ import annotations

from .problem import Problem

__all__ = ["STRINGS"]

STRINGS = [
    Problem(
        name="reverse_words",
        signature="def reverse_words(s: str) -> str:",
        description="""
            Return the words of `s` in reverse order, separated by single spaces. Words are runs of
            non-whitespace characters; leading, trailing and repeated whitespace disappear.
            Example: reverse_words("  hello   big world ") == "world big hello".
        """,
        reference="""
            def reverse_words(s: str) -> str:
                return " ".join(reversed(s.split()))
        """,
        tests=(
            'assert reverse_words("  hello   big world ") == "world big hello"',
            'assert reverse_words("one") == "one"',
            'assert reverse_words("") == ""',
            'assert reverse_words("   ") == ""',
            'assert reverse_words("a\\tb\\nc") == "c b a"',
        ),
        split="train",
    ),
    Problem(
        name="is_palindrome",
        signature="def is_palindrome(s: str) -> bool:",
        description="""
            Return True if `s` reads the same forwards and backwards when only its letters and digits
            are kept and case is ignored. The empty string is a palindrome.
            Example: is_palindrome("A man, a plan, a canal: Panama") is True.
        """,
        reference="""
            def is_palindrome(s: str) -> bool:
                kept = [c.lower() for c in s if c.isalnum()]
                return kept == kept[::-1]
        """,
        tests=(
            'assert is_palindrome("A man, a plan, a canal: Panama") is True',
            'assert is_palindrome("race a car") is False',
            'assert is_palindrome("") is True',
            "assert is_palindrome(\"No 'x' in Nixon\") is True",
            'assert is_palindrome("12321") is True',
            'assert is_palindrome("ab") is False',
        ),
        split="train",
    ),
    Problem(
        name="count_vowels",
        signature="def count_vowels(s: str) -> int:",
        description="""
            Count the vowels (a, e, i, o, u, in either case) in `s`. The letter y is not a vowel.
            Example: count_vowels("Hello World") == 3.
        """,
        reference="""
            def count_vowels(s: str) -> int:
                return sum(1 for c in s.lower() if c in "aeiou")
        """,
        tests=(
            'assert count_vowels("Hello World") == 3',
            'assert count_vowels("") == 0',
            'assert count_vowels("rhythm") == 0',
            'assert count_vowels("AEIOUaeiou") == 10',
            'assert count_vowels("Yy") == 0',
        ),
        split="train",
    ),
    Problem(
        name="caesar_shift",
        signature="def caesar_shift(s: str, k: int) -> str:",
        description="""
            Shift every ASCII letter of `s` by `k` places in the alphabet, wrapping around and keeping
            its case; other characters stay as they are. `k` may be negative or larger than 26.
            Example: caesar_shift("Hello, World!", 3) == "Khoor, Zruog!".
        """,
        reference="""
            def caesar_shift(s: str, k: int) -> str:
                out = []
                for c in s:
                    if "a" <= c <= "z":
                        out.append(chr((ord(c) - 97 + k) % 26 + 97))
                    elif "A" <= c <= "Z":
                        out.append(chr((ord(c) - 65 + k) % 26 + 65))
                    else:
                        out.append(c)
                return "".join(out)
        """,
        tests=(
            'assert caesar_shift("Hello, World!", 3) == "Khoor, Zruog!"',
            'assert caesar_shift("xyz", 3) == "abc"',
            'assert caesar_shift("abc", -1) == "zab"',
            'assert caesar_shift("Zz", 52) == "Zz"',
            'assert caesar_shift("abc", 27) == "bcd"',
            'assert caesar_shift("123 ?", 5) == "123 ?"',
        ),
        split="train",
    ),
    Problem(
        name="run_length_encode",
        signature="def run_length_encode(s: str) -> str:",
        description="""
            Encode `s` as runs: each maximal run of one character becomes the character followed by
            the run's length in decimal. Example: run_length_encode("aaabcc") == "a3b1c2".
        """,
        reference="""
            def run_length_encode(s: str) -> str:
                out = []
                i = 0
                while i < len(s):
                    j = i
                    while j < len(s) and s[j] == s[i]:
                        j += 1
                    out.append(f"{s[i]}{j - i}")
                    i = j
                return "".join(out)
        """,
        tests=(
            'assert run_length_encode("aaabcc") == "a3b1c2"',
            'assert run_length_encode("") == ""',
            'assert run_length_encode("a") == "a1"',
            'assert run_length_encode("aaaaaaaaaaaa") == "a12"',
            'assert run_length_encode("abab") == "a1b1a1b1"',
            'assert run_length_encode("  x") == " 2x1"',
        ),
    ),
    Problem(
        name="run_length_decode",
        signature="def run_length_decode(s: str) -> str:",
        description="""
            Decode a run-length string: each letter is followed by a positive decimal count (possibly
            several digits), and stands for that many copies of the letter. Letters are never digits.
            Example: run_length_decode("a3b1c12") == "aaab" + "c" * 12.
        """,
        reference="""
            import re

            def run_length_decode(s: str) -> str:
                return "".join(ch * int(n) for ch, n in re.findall(r"(\\D)(\\d+)", s))
        """,
        tests=(
            'assert run_length_decode("a3b1c12") == "aaab" + "c" * 12',
            'assert run_length_decode("") == ""',
            'assert run_length_decode("x1") == "x"',
            'assert run_length_decode("a10b2") == "aaaaaaaaaabb"',
            'assert run_length_decode(" 2!3") == "  !!!"',
        ),
    ),
    Problem(
        name="to_snake_case",
        signature="def to_snake_case(name: str) -> str:",
        description="""
            Convert a camelCase or PascalCase identifier to snake_case. A run of capitals is one word
            (an acronym), whose last capital starts the next word when a lowercase letter follows it.
            Digits stay attached to the word before them. Names already in snake_case do not change.
            Examples: to_snake_case("helloWorld") == "hello_world",
            to_snake_case("getHTTPResponse") == "get_http_response".
        """,
        reference="""
            import re

            def to_snake_case(name: str) -> str:
                s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\\1_\\2", name)
                s = re.sub(r"([a-z0-9])([A-Z])", r"\\1_\\2", s)
                return s.lower()
        """,
        tests=(
            'assert to_snake_case("helloWorld") == "hello_world"',
            'assert to_snake_case("HelloWorld") == "hello_world"',
            'assert to_snake_case("getHTTPResponse") == "get_http_response"',
            'assert to_snake_case("already_snake") == "already_snake"',
            'assert to_snake_case("version2Update") == "version2_update"',
            'assert to_snake_case("URL") == "url"',
        ),
    ),
    Problem(
        name="is_anagram",
        signature="def is_anagram(a: str, b: str) -> bool:",
        description="""
            Return True if `a` and `b` use the same letters the same number of times, ignoring case
            and spaces (other characters count). Example: is_anagram("Dormitory", "dirty room") is True.
        """,
        reference="""
            from collections import Counter

            def is_anagram(a: str, b: str) -> bool:
                def norm(s):
                    return Counter(s.replace(" ", "").lower())
                return norm(a) == norm(b)
        """,
        tests=(
            'assert is_anagram("Dormitory", "dirty room") is True',
            'assert is_anagram("listen", "silent") is True',
            'assert is_anagram("abc", "abd") is False',
            'assert is_anagram("aab", "abb") is False',
            'assert is_anagram("", "   ") is True',
            'assert is_anagram("a!", "a") is False',
        ),
    ),
    Problem(
        name="longest_common_prefix",
        signature="def longest_common_prefix(words: list[str]) -> str:",
        description="""
            Return the longest string that every word in `words` starts with; "" for an empty list.
            Example: longest_common_prefix(["flower", "flow", "flight"]) == "fl".
        """,
        reference="""
            def longest_common_prefix(words: list[str]) -> str:
                if not words:
                    return ""
                prefix = words[0]
                for w in words[1:]:
                    while not w.startswith(prefix):
                        prefix = prefix[:-1]
                return prefix
        """,
        tests=(
            'assert longest_common_prefix(["flower", "flow", "flight"]) == "fl"',
            'assert longest_common_prefix(["dog", "racecar", "car"]) == ""',
            'assert longest_common_prefix([]) == ""',
            'assert longest_common_prefix(["alone"]) == "alone"',
            'assert longest_common_prefix(["same", "same"]) == "same"',
            'assert longest_common_prefix(["ab", "a", "abc"]) == "a"',
        ),
    ),
    Problem(
        name="first_unique_char",
        signature="def first_unique_char(s: str) -> int:",
        description="""
            Return the index of the first character of `s` that occurs exactly once in `s`, or -1 if
            there is none. Case matters. Example: first_unique_char("swiss") == 1.
        """,
        reference="""
            from collections import Counter

            def first_unique_char(s: str) -> int:
                counts = Counter(s)
                return next((i for i, c in enumerate(s) if counts[c] == 1), -1)
        """,
        tests=(
            'assert first_unique_char("swiss") == 1',
            'assert first_unique_char("aabb") == -1',
            'assert first_unique_char("") == -1',
            'assert first_unique_char("z") == 0',
            'assert first_unique_char("aA") == 0',
            'assert first_unique_char("abcabd") == 2',
        ),
    ),
    Problem(
        name="balanced_brackets",
        signature="def balanced_brackets(s: str) -> bool:",
        description="""
            Return True if the brackets (), [] and {} in `s` are balanced and properly nested; all other
            characters are ignored. Example: balanced_brackets("f(a[1], {b})") is True.
        """,
        reference="""
            def balanced_brackets(s: str) -> bool:
                pairs = {")": "(", "]": "[", "}": "{"}
                stack = []
                for c in s:
                    if c in "([{":
                        stack.append(c)
                    elif c in pairs:
                        if not stack or stack.pop() != pairs[c]:
                            return False
                return not stack
        """,
        tests=(
            'assert balanced_brackets("f(a[1], {b})") is True',
            'assert balanced_brackets("") is True',
            'assert balanced_brackets("(]") is False',
            'assert balanced_brackets("([)]") is False',
            'assert balanced_brackets("((") is False',
            'assert balanced_brackets(")(") is False',
            'assert balanced_brackets("{[()()]}") is True',
        ),
    ),
    Problem(
        name="word_frequencies",
        signature="def word_frequencies(text: str) -> dict[str, int]:",
        description="""
            Count the words of `text`: a word is a maximal run of ASCII letters, compared in lowercase.
            Return a dict from each word to its count. Example:
            word_frequencies("The cat; the HAT.") == {"the": 2, "cat": 1, "hat": 1}.
        """,
        reference="""
            import re
            from collections import Counter

            def word_frequencies(text: str) -> dict[str, int]:
                return dict(Counter(w.lower() for w in re.findall(r"[A-Za-z]+", text)))
        """,
        tests=(
            'assert word_frequencies("The cat; the HAT.") == {"the": 2, "cat": 1, "hat": 1}',
            'assert word_frequencies("") == {}',
            'assert word_frequencies("123 !!") == {}',
            'assert word_frequencies("don\'t stop") == {"don": 1, "t": 1, "stop": 1}',
            'assert word_frequencies("a a a") == {"a": 3}',
        ),
    ),
    Problem(
        name="mask_email",
        signature="def mask_email(email: str) -> str:",
        description="""
            Hide the local part (before the last "@") of an email address: keep its first and last
            character and replace each character between them with "*". A local part of one or two
            characters is replaced entirely by "*" of the same length. The domain stays.
            Example: mask_email("john.doe@example.com") == "j******e@example.com".
        """,
        reference="""
            def mask_email(email: str) -> str:
                local, _, domain = email.rpartition("@")
                if len(local) <= 2:
                    hidden = "*" * len(local)
                else:
                    hidden = local[0] + "*" * (len(local) - 2) + local[-1]
                return f"{hidden}@{domain}"
        """,
        tests=(
            'assert mask_email("john.doe@example.com") == "j******e@example.com"',
            'assert mask_email("ab@x.org") == "**@x.org"',
            'assert mask_email("a@x.org") == "*@x.org"',
            'assert mask_email("abc@x.org") == "a*c@x.org"',
            'assert mask_email("we\\"ird@name@host.io") == "w*********e@host.io"',
        ),
    ),
    Problem(
        name="roman_to_int",
        signature="def roman_to_int(s: str) -> int:",
        description="""
            Convert a valid Roman numeral (I, V, X, L, C, D, M, with subtractive pairs such as IV and
            CM) between 1 and 3999 to an integer. Example: roman_to_int("MCMXCIV") == 1994.
        """,
        reference="""
            def roman_to_int(s: str) -> int:
                values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
                total = 0
                for i, c in enumerate(s):
                    v = values[c]
                    if i + 1 < len(s) and values[s[i + 1]] > v:
                        total -= v
                    else:
                        total += v
                return total
        """,
        tests=(
            'assert roman_to_int("MCMXCIV") == 1994',
            'assert roman_to_int("III") == 3',
            'assert roman_to_int("IV") == 4',
            'assert roman_to_int("XLII") == 42',
            'assert roman_to_int("MMMCMXCIX") == 3999',
            'assert roman_to_int("CDXLIV") == 444',
        ),
    ),
]
