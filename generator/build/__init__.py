"""The build: its phases (stages), the content-keyed cache, the second process and GC pauses
(schedule), and writing pages (output). The only package that knows about caching and processes."""
