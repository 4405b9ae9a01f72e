"""Finite groups and automata: specifications, canonical ids, word-problem data, Cayley graphs."""

from automata.groups import Group, group, parse_perm, sample_words, write_word_csv

__all__ = ["Group", "group", "parse_perm", "sample_words", "write_word_csv"]
