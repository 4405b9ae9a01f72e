"""Finite groups and automata: specifications, canonical ids, word-problem data, DFAs, monoids, tasks."""

from automata.dfa import DFA, MonoidTooLarge, TransitionMonoid, classify, random_dfa, transition_monoid
from automata.groups import Group, group, parse_perm, sample_words, write_word_csv
from automata.tasks import TASKS, Task, task

__all__ = ["Group", "group", "parse_perm", "sample_words", "write_word_csv", "DFA", "TransitionMonoid",
           "MonoidTooLarge", "transition_monoid", "classify", "random_dfa", "Task", "TASKS", "task"]
