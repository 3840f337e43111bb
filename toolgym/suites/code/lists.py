"""List problems of the code suite."""

from __future__ import annotations

from .problem import Problem

__all__ = ["LISTS"]

LISTS = [
    Problem(
        name="chunk",
        signature="def chunk(items: list, size: int) -> list[list]:",
        description="""
            Split `items` into consecutive lists of `size` elements; the last one may be shorter.
            `size` is at least 1. Example: chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]].
        """,
        reference="""
            def chunk(items: list, size: int) -> list[list]:
                return [items[i:i + size] for i in range(0, len(items), size)]
        """,
        tests=(
            "assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]",
            "assert chunk([], 3) == []",
            "assert chunk([1, 2, 3], 3) == [[1, 2, 3]]",
            "assert chunk([1, 2, 3], 10) == [[1, 2, 3]]",
            "assert chunk(['a', 'b'], 1) == [['a'], ['b']]",
        ),
        split="train",
    ),
    Problem(
        name="flatten",
        signature="def flatten(nested: list) -> list:",
        description="""
            Flatten arbitrarily nested lists into one list, keeping the order of the elements.
            Only lists are flattened (tuples and strings are elements).
            Example: flatten([1, [2, [3, [4]]], 5]) == [1, 2, 3, 4, 5].
        """,
        reference="""
            def flatten(nested: list) -> list:
                out = []
                for x in nested:
                    if isinstance(x, list):
                        out.extend(flatten(x))
                    else:
                        out.append(x)
                return out
        """,
        tests=(
            "assert flatten([1, [2, [3, [4]]], 5]) == [1, 2, 3, 4, 5]",
            "assert flatten([]) == []",
            "assert flatten([[], [[]]]) == []",
            "assert flatten([(1, 2), ['ab', [3]]]) == [(1, 2), 'ab', 3]",
            "assert flatten([[1], 2, [[3, 4], 5]]) == [1, 2, 3, 4, 5]",
        ),
        split="train",
    ),
    Problem(
        name="dedupe",
        signature="def dedupe(items: list) -> list:",
        description="""
            Remove repeated elements, keeping the first occurrence of each and the original order.
            Elements are hashable. Example: dedupe([3, 1, 3, 2, 1]) == [3, 1, 2].
        """,
        reference="""
            def dedupe(items: list) -> list:
                return list(dict.fromkeys(items))
        """,
        tests=(
            "assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]",
            "assert dedupe([]) == []",
            "assert dedupe(['a', 'a', 'a']) == ['a']",
            "assert dedupe([1, 2, 3]) == [1, 2, 3]",
            "assert dedupe([(1, 2), (1, 2), 'x']) == [(1, 2), 'x']",
        ),
        split="train",
    ),
    Problem(
        name="rotate",
        signature="def rotate(items: list, k: int) -> list:",
        description="""
            Return a new list with the elements of `items` rotated `k` places to the right; a negative
            `k` rotates to the left, and `k` may exceed the length. Example: rotate([1, 2, 3, 4], 1) ==
            [4, 1, 2, 3].
        """,
        reference="""
            def rotate(items: list, k: int) -> list:
                if not items:
                    return []
                k %= len(items)
                return items[-k:] + items[:-k] if k else list(items)
        """,
        tests=(
            "assert rotate([1, 2, 3, 4], 1) == [4, 1, 2, 3]",
            "assert rotate([1, 2, 3, 4], -1) == [2, 3, 4, 1]",
            "assert rotate([1, 2, 3], 3) == [1, 2, 3]",
            "assert rotate([1, 2, 3], 7) == [3, 1, 2]",
            "assert rotate([], 5) == []",
            "xs = [1, 2]\nrotate(xs, 1)\nassert xs == [1, 2]",
        ),
    ),
    Problem(
        name="merge_sorted",
        signature="def merge_sorted(a: list[int], b: list[int]) -> list[int]:",
        description="""
            Merge two lists that are each sorted in ascending order into one sorted list, keeping
            duplicates. Example: merge_sorted([1, 3, 5], [2, 3]) == [1, 2, 3, 3, 5].
        """,
        reference="""
            def merge_sorted(a: list[int], b: list[int]) -> list[int]:
                out, i, j = [], 0, 0
                while i < len(a) and j < len(b):
                    if a[i] <= b[j]:
                        out.append(a[i])
                        i += 1
                    else:
                        out.append(b[j])
                        j += 1
                return out + a[i:] + b[j:]
        """,
        tests=(
            "assert merge_sorted([1, 3, 5], [2, 3]) == [1, 2, 3, 3, 5]",
            "assert merge_sorted([], []) == []",
            "assert merge_sorted([], [1, 2]) == [1, 2]",
            "assert merge_sorted([5], []) == [5]",
            "assert merge_sorted([-3, 0], [-5, 10]) == [-5, -3, 0, 10]",
        ),
    ),
    Problem(
        name="second_largest",
        signature="def second_largest(nums: list[int]) -> int | None:",
        description="""
            Return the second largest distinct value in `nums`, or None when there are fewer than two
            distinct values. Example: second_largest([4, 1, 4, 3]) == 3.
        """,
        reference="""
            def second_largest(nums: list[int]) -> int | None:
                distinct = sorted(set(nums))
                return distinct[-2] if len(distinct) >= 2 else None
        """,
        tests=(
            "assert second_largest([4, 1, 4, 3]) == 3",
            "assert second_largest([7, 7]) is None",
            "assert second_largest([]) is None",
            "assert second_largest([-1, -2]) == -2",
            "assert second_largest([1, 2, 3, 4, 5]) == 4",
        ),
    ),
    Problem(
        name="running_sum",
        signature="def running_sum(nums: list[int]) -> list[int]:",
        description="""
            Return the running (prefix) sums of `nums`: element i is the sum of nums[0..i].
            Example: running_sum([1, 2, 3]) == [1, 3, 6].
        """,
        reference="""
            from itertools import accumulate

            def running_sum(nums: list[int]) -> list[int]:
                return list(accumulate(nums))
        """,
        tests=(
            "assert running_sum([1, 2, 3]) == [1, 3, 6]",
            "assert running_sum([]) == []",
            "assert running_sum([5]) == [5]",
            "assert running_sum([3, -3, 3]) == [3, 0, 3]",
            "assert running_sum([0, 0, 1]) == [0, 0, 1]",
        ),
    ),
    Problem(
        name="pairs_with_sum",
        signature="def pairs_with_sum(nums: list[int], target: int) -> list[tuple[int, int]]:",
        description="""
            Return every distinct pair of values (a, b) with a <= b, taken from two different positions
            of `nums`, such that a + b == target; as tuples, sorted ascending.
            Example: pairs_with_sum([1, 5, 3, 3, 2, 4], 6) == [(1, 5), (2, 4), (3, 3)].
        """,
        reference="""
            from collections import Counter

            def pairs_with_sum(nums: list[int], target: int) -> list[tuple[int, int]]:
                counts = Counter(nums)
                out = []
                for a in sorted(counts):
                    b = target - a
                    if a < b and b in counts or a == b and counts[a] >= 2:
                        out.append((a, b))
                return out
        """,
        tests=(
            "assert pairs_with_sum([1, 5, 3, 3, 2, 4], 6) == [(1, 5), (2, 4), (3, 3)]",
            "assert pairs_with_sum([3], 6) == []",
            "assert pairs_with_sum([], 0) == []",
            "assert pairs_with_sum([2, 2, 2], 4) == [(2, 2)]",
            "assert pairs_with_sum([-1, 1, 0, 0], 0) == [(-1, 1), (0, 0)]",
            "assert pairs_with_sum([1, 2], 10) == []",
        ),
    ),
    Problem(
        name="transpose",
        signature="def transpose(matrix: list[list]) -> list[list]:",
        description="""
            Return the transpose of a rectangular matrix given as a list of rows; the transpose of []
            is []. Example: transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]].
        """,
        reference="""
            def transpose(matrix: list[list]) -> list[list]:
                return [list(col) for col in zip(*matrix)]
        """,
        tests=(
            "assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]",
            "assert transpose([]) == []",
            "assert transpose([[1]]) == [[1]]",
            "assert transpose([[1, 2]]) == [[1], [2]]",
            "assert transpose([['a'], ['b']]) == [['a', 'b']]",
        ),
    ),
    Problem(
        name="group_by_length",
        signature="def group_by_length(words: list[str]) -> dict[int, list[str]]:",
        description="""
            Group words by their length: return a dict from each length to the words of that length,
            in their original order. Example: group_by_length(["hi", "yes", "no"]) ==
            {2: ["hi", "no"], 3: ["yes"]}.
        """,
        reference="""
            def group_by_length(words: list[str]) -> dict[int, list[str]]:
                groups: dict[int, list[str]] = {}
                for w in words:
                    groups.setdefault(len(w), []).append(w)
                return groups
        """,
        tests=(
            'assert group_by_length(["hi", "yes", "no"]) == {2: ["hi", "no"], 3: ["yes"]}',
            "assert group_by_length([]) == {}",
            'assert group_by_length(["", "a"]) == {0: [""], 1: ["a"]}',
            'assert group_by_length(["b", "a", "b"]) == {1: ["b", "a", "b"]}',
        ),
    ),
    Problem(
        name="max_subarray_sum",
        signature="def max_subarray_sum(nums: list[int]) -> int:",
        description="""
            Return the largest sum of a non-empty contiguous run of `nums` (which is not empty).
            Example: max_subarray_sum([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == 6.
        """,
        reference="""
            def max_subarray_sum(nums: list[int]) -> int:
                best = current = nums[0]
                for x in nums[1:]:
                    current = max(x, current + x)
                    best = max(best, current)
                return best
        """,
        tests=(
            "assert max_subarray_sum([-2, 1, -3, 4, -1, 2, 1, -5, 4]) == 6",
            "assert max_subarray_sum([-3, -1, -2]) == -1",
            "assert max_subarray_sum([5]) == 5",
            "assert max_subarray_sum([1, 2, 3]) == 6",
            "assert max_subarray_sum([2, -1, 2]) == 3",
        ),
    ),
    Problem(
        name="move_zeros",
        signature="def move_zeros(nums: list[int]) -> list[int]:",
        description="""
            Return a new list with all zeros of `nums` moved to the end and the other elements in their
            original order. Example: move_zeros([0, 1, 0, 3, 12]) == [1, 3, 12, 0, 0].
        """,
        reference="""
            def move_zeros(nums: list[int]) -> list[int]:
                rest = [x for x in nums if x != 0]
                return rest + [0] * (len(nums) - len(rest))
        """,
        tests=(
            "assert move_zeros([0, 1, 0, 3, 12]) == [1, 3, 12, 0, 0]",
            "assert move_zeros([]) == []",
            "assert move_zeros([0, 0]) == [0, 0]",
            "assert move_zeros([1, 2]) == [1, 2]",
            "assert move_zeros([-1, 0, -2]) == [-1, -2, 0]",
        ),
    ),
    Problem(
        name="interleave",
        signature="def interleave(a: list, b: list) -> list:",
        description="""
            Alternate the elements of `a` and `b`, starting with `a`; when one list runs out, append the
            rest of the other. Example: interleave([1, 2, 3], ["x"]) == [1, "x", 2, 3].
        """,
        reference="""
            def interleave(a: list, b: list) -> list:
                out = []
                for i in range(max(len(a), len(b))):
                    if i < len(a):
                        out.append(a[i])
                    if i < len(b):
                        out.append(b[i])
                return out
        """,
        tests=(
            'assert interleave([1, 2, 3], ["x"]) == [1, "x", 2, 3]',
            "assert interleave([], []) == []",
            "assert interleave([], [1, 2]) == [1, 2]",
            "assert interleave([1, 2], [3, 4]) == [1, 3, 2, 4]",
            "assert interleave([1], [2, 3, 4]) == [1, 2, 3, 4]",
        ),
    ),
    Problem(
        name="most_common",
        signature="def most_common(items: list):",
        description="""
            Return the element that occurs most often in `items` (not empty; elements are hashable).
            On a tie, return the one whose first occurrence comes first.
            Example: most_common(["b", "a", "a", "b", "c"]) == "b".
        """,
        reference="""
            def most_common(items: list):
                counts: dict = {}
                for x in items:
                    counts[x] = counts.get(x, 0) + 1
                return max(counts, key=counts.__getitem__)
        """,
        tests=(
            'assert most_common(["b", "a", "a", "b", "c"]) == "b"',
            "assert most_common([1]) == 1",
            "assert most_common([1, 2, 2]) == 2",
            "assert most_common([3, 1, 2]) == 3",
            "assert most_common([None, 0, 0, None, 0]) == 0",
        ),
    ),
]
