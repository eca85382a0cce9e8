"""The benchmark, ``python -m ecm bench``: timing of the reads and analyses behind each page on
a freshly built demo (:mod:`~ecm.bench.run`) and of each page's first render in Chromium
(:mod:`~ecm.bench.browser`). Not to be confused with :mod:`ecm.stats.benchmarks`, which
compares figures with England and their peers. A top layer: nothing imports it but the command
line.
"""
