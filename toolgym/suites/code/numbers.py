"""Number problems of the code suite."""

from __future__ import annotations

from .problem import Problem

__all__ = ["NUMBERS"]

NUMBERS = [
    Problem(
        name="is_prime",
        signature="def is_prime(n: int) -> bool:",
        description="""
            Return True if `n` is a prime number. Numbers below 2 (including negatives) are not prime.
            Example: is_prime(97) is True.
        """,
        reference="""
            def is_prime(n: int) -> bool:
                if n < 2:
                    return False
                d = 2
                while d * d <= n:
                    if n % d == 0:
                        return False
                    d += 1
                return True
        """,
        tests=(
            "assert is_prime(97) is True",
            "assert is_prime(1) is False",
            "assert is_prime(2) is True",
            "assert is_prime(-7) is False",
            "assert is_prime(91) is False",
            "assert is_prime(7919) is True",
        ),
        split="train",
    ),
    Problem(
        name="greatest_common_divisor",
        signature="def greatest_common_divisor(a: int, b: int) -> int:",
        description="""
            Return the greatest common divisor of `a` and `b` as a non-negative integer; either may be
            negative or zero, and the gcd of 0 and 0 is 0. Example: greatest_common_divisor(-12, 18) == 6.
        """,
        reference="""
            def greatest_common_divisor(a: int, b: int) -> int:
                a, b = abs(a), abs(b)
                while b:
                    a, b = b, a % b
                return a
        """,
        tests=(
            "assert greatest_common_divisor(-12, 18) == 6",
            "assert greatest_common_divisor(0, 0) == 0",
            "assert greatest_common_divisor(0, 5) == 5",
            "assert greatest_common_divisor(17, 5) == 1",
            "assert greatest_common_divisor(-4, -6) == 2",
        ),
        split="train",
    ),
    Problem(
        name="fibonacci",
        signature="def fibonacci(n: int) -> int:",
        description="""
            Return the n-th Fibonacci number, with fibonacci(0) == 0 and fibonacci(1) == 1; `n` is
            between 0 and 1000, so the function must be fast. Example: fibonacci(10) == 55.
        """,
        reference="""
            def fibonacci(n: int) -> int:
                a, b = 0, 1
                for _ in range(n):
                    a, b = b, a + b
                return a
        """,
        tests=(
            "assert fibonacci(10) == 55",
            "assert fibonacci(0) == 0",
            "assert fibonacci(1) == 1",
            "assert fibonacci(2) == 1",
            "assert fibonacci(90) == 2880067194370816120",
            "assert fibonacci(1000) % 1000000007 == 517691607",
        ),
        split="train",
    ),
    Problem(
        name="digit_sum",
        signature="def digit_sum(n: int) -> int:",
        description="""
            Return the sum of the decimal digits of `n`, ignoring its sign. Example: digit_sum(-472) == 13.
        """,
        reference="""
            def digit_sum(n: int) -> int:
                return sum(int(d) for d in str(abs(n)))
        """,
        tests=(
            "assert digit_sum(-472) == 13",
            "assert digit_sum(0) == 0",
            "assert digit_sum(9) == 9",
            "assert digit_sum(1000001) == 2",
            "assert digit_sum(99999999999999999999) == 180",
        ),
    ),
    Problem(
        name="int_to_roman",
        signature="def int_to_roman(n: int) -> str:",
        description="""
            Write `n` (between 1 and 3999) as a Roman numeral in standard form, using subtractive
            pairs (IV, IX, XL, XC, CD, CM). Example: int_to_roman(1994) == "MCMXCIV".
        """,
        reference="""
            def int_to_roman(n: int) -> str:
                table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
                out = []
                for value, letters in table:
                    count, n = divmod(n, value)
                    out.append(letters * count)
                return "".join(out)
        """,
        tests=(
            'assert int_to_roman(1994) == "MCMXCIV"',
            'assert int_to_roman(1) == "I"',
            'assert int_to_roman(4) == "IV"',
            'assert int_to_roman(3999) == "MMMCMXCIX"',
            'assert int_to_roman(444) == "CDXLIV"',
            'assert int_to_roman(58) == "LVIII"',
        ),
    ),
    Problem(
        name="is_power_of_two",
        signature="def is_power_of_two(n: int) -> bool:",
        description="""
            Return True if `n` is a power of two (1, 2, 4, 8, ...); zero and negatives are not.
            Example: is_power_of_two(64) is True.
        """,
        reference="""
            def is_power_of_two(n: int) -> bool:
                return n > 0 and n & (n - 1) == 0
        """,
        tests=(
            "assert is_power_of_two(64) is True",
            "assert is_power_of_two(1) is True",
            "assert is_power_of_two(0) is False",
            "assert is_power_of_two(-8) is False",
            "assert is_power_of_two(6) is False",
            "assert is_power_of_two(2 ** 100) is True",
        ),
    ),
    Problem(
        name="lcm_of_list",
        signature="def lcm_of_list(nums: list[int]) -> int:",
        description="""
            Return the least common multiple of the positive integers in `nums`; the lcm of an empty
            list is 1. Example: lcm_of_list([4, 6, 10]) == 60.
        """,
        reference="""
            from math import gcd

            def lcm_of_list(nums: list[int]) -> int:
                out = 1
                for x in nums:
                    out = out * x // gcd(out, x)
                return out
        """,
        tests=(
            "assert lcm_of_list([4, 6, 10]) == 60",
            "assert lcm_of_list([]) == 1",
            "assert lcm_of_list([7]) == 7",
            "assert lcm_of_list([2, 3, 5, 7]) == 210",
            "assert lcm_of_list([12, 12]) == 12",
        ),
    ),
    Problem(
        name="prime_factors",
        signature="def prime_factors(n: int) -> list[int]:",
        description="""
            Return the prime factors of `n` (at least 2) in ascending order, each repeated as often as it
            divides `n`. Example: prime_factors(360) == [2, 2, 2, 3, 3, 5].
        """,
        reference="""
            def prime_factors(n: int) -> list[int]:
                out, d = [], 2
                while d * d <= n:
                    while n % d == 0:
                        out.append(d)
                        n //= d
                    d += 1
                if n > 1:
                    out.append(n)
                return out
        """,
        tests=(
            "assert prime_factors(360) == [2, 2, 2, 3, 3, 5]",
            "assert prime_factors(2) == [2]",
            "assert prime_factors(97) == [97]",
            "assert prime_factors(1024) == [2] * 10",
            "assert prime_factors(999983 * 2) == [2, 999983]",
        ),
    ),
    Problem(
        name="collatz_steps",
        signature="def collatz_steps(n: int) -> int:",
        description="""
            Count the steps the Collatz rule (n -> n / 2 if n is even, else 3n + 1) takes to bring the
            positive integer `n` to 1. Example: collatz_steps(6) == 8.
        """,
        reference="""
            def collatz_steps(n: int) -> int:
                steps = 0
                while n != 1:
                    n = n // 2 if n % 2 == 0 else 3 * n + 1
                    steps += 1
                return steps
        """,
        tests=(
            "assert collatz_steps(6) == 8",
            "assert collatz_steps(1) == 0",
            "assert collatz_steps(2) == 1",
            "assert collatz_steps(27) == 111",
            "assert collatz_steps(97) == 118",
        ),
    ),
    Problem(
        name="to_base",
        signature="def to_base(n: int, base: int) -> str:",
        description="""
            Write the integer `n` in `base` (2 to 36) with digits 0-9 then lowercase a-z, with a leading
            "-" for negatives and no prefix. Example: to_base(255, 16) == "ff".
        """,
        reference="""
            def to_base(n: int, base: int) -> str:
                digits = "0123456789abcdefghijklmnopqrstuvwxyz"
                if n == 0:
                    return "0"
                sign, n = ("-", -n) if n < 0 else ("", n)
                out = []
                while n:
                    n, r = divmod(n, base)
                    out.append(digits[r])
                return sign + "".join(reversed(out))
        """,
        tests=(
            'assert to_base(255, 16) == "ff"',
            'assert to_base(0, 2) == "0"',
            'assert to_base(5, 2) == "101"',
            'assert to_base(-35, 36) == "-z"',
            'assert to_base(36, 36) == "10"',
            'assert to_base(100, 10) == "100"',
        ),
    ),
    Problem(
        name="binomial",
        signature="def binomial(n: int, k: int) -> int:",
        description="""
            Return the binomial coefficient "n choose k" for n >= 0; it is 0 when k < 0 or k > n.
            Example: binomial(5, 2) == 10.
        """,
        reference="""
            def binomial(n: int, k: int) -> int:
                if k < 0 or k > n:
                    return 0
                k = min(k, n - k)
                out = 1
                for i in range(k):
                    out = out * (n - i) // (i + 1)
                return out
        """,
        tests=(
            "assert binomial(5, 2) == 10",
            "assert binomial(0, 0) == 1",
            "assert binomial(3, 5) == 0",
            "assert binomial(3, -1) == 0",
            "assert binomial(52, 5) == 2598960",
            "assert binomial(100, 50) == 100891344545564193334812497256",
        ),
    ),
    Problem(
        name="median",
        signature="def median(nums: list[float]) -> float:",
        description="""
            Return the median of the non-empty list `nums` as a float: the middle value once sorted, or
            the mean of the two middle values for an even count. Do not modify `nums`.
            Example: median([3, 1, 2]) == 2.0.
        """,
        reference="""
            def median(nums: list[float]) -> float:
                s = sorted(nums)
                mid = len(s) // 2
                return float(s[mid]) if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
        """,
        tests=(
            "assert median([3, 1, 2]) == 2.0",
            "assert median([4, 1, 3, 2]) == 2.5",
            "assert median([7]) == 7.0",
            "assert isinstance(median([1, 3]), float)",
            "xs = [3, 1, 2]\nmedian(xs)\nassert xs == [3, 1, 2]",
        ),
    ),
    Problem(
        name="is_armstrong",
        signature="def is_armstrong(n: int) -> bool:",
        description="""
            Return True if the non-negative integer `n` equals the sum of its decimal digits each raised
            to the power of the number of digits. Example: is_armstrong(153) is True (1 + 125 + 27).
        """,
        reference="""
            def is_armstrong(n: int) -> bool:
                digits = str(n)
                return n == sum(int(d) ** len(digits) for d in digits)
        """,
        tests=(
            "assert is_armstrong(153) is True",
            "assert is_armstrong(0) is True",
            "assert is_armstrong(10) is False",
            "assert is_armstrong(9474) is True",
            "assert is_armstrong(9475) is False",
        ),
    ),
    Problem(
        name="count_primes_below",
        signature="def count_primes_below(n: int) -> int:",
        description="""
            Count the primes strictly less than `n` (n may be up to 1,000,000, so use a sieve).
            Example: count_primes_below(10) == 4.
        """,
        reference="""
            def count_primes_below(n: int) -> int:
                if n < 3:
                    return 0
                sieve = bytearray([1]) * n
                sieve[0] = sieve[1] = 0
                for i in range(2, int(n ** 0.5) + 1):
                    if sieve[i]:
                        sieve[i * i::i] = bytearray(len(range(i * i, n, i)))
                return sum(sieve)
        """,
        tests=(
            "assert count_primes_below(10) == 4",
            "assert count_primes_below(0) == 0",
            "assert count_primes_below(2) == 0",
            "assert count_primes_below(3) == 1",
            "assert count_primes_below(100) == 25",
            "assert count_primes_below(1000000) == 78498",
        ),
    ),
]
