"""Exports write on a thread of their own: every byte arrives, in order, and a failing disk fails the export
plainly, leaving the previous file as it was."""
from annotator.formats.background_writer import BackgroundWriter, open_background


def test_text_and_binary_writes_arrive_whole_and_in_order(tmp_path):
    pieces = [f"{i}:" + "é中😀" * (i % 97) + "\n" for i in range(20_000)] + ["x" * 1_000_000, "end\n"]
    with open_background(tmp_path / "t.txt", binary=False) as out:
        for piece in pieces:
            out.write(piece)
    assert (tmp_path / "t.txt").read_text(encoding="utf-8") == "".join(pieces)

    blobs = [bytes([i % 256]) * (i % 5000) for i in range(3000)]
    with open_background(tmp_path / "b.bin", binary=True) as out:
        for blob in blobs:
            out.write(bytearray(blob))  # a buffer the caller may reuse: copied on the way in
    assert (tmp_path / "b.bin").read_bytes() == b"".join(blobs)


def test_flush_puts_everything_written_so_far_in_the_file(tmp_path):
    writer = BackgroundWriter(tmp_path / "f.bin")
    writer.write(b"a" * 100_000)
    writer.flush()
    assert (tmp_path / "f.bin").stat().st_size == 100_000
    writer.close()




def test_many_small_files_arrive_whole(tmp_path):
    from annotator.formats.background_writer import BackgroundFiles

    expected = {f"{i:05d}.{ext}": (f"{i} é中😀\n" * (i % 7)).encode("utf-8") for i in range(2000) for ext in ("txt", "ann")}
    with BackgroundFiles(tmp_path) as files:
        for name, data in expected.items():
            files.write(name, data)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == expected


def test_a_file_that_cannot_be_made_is_named_in_the_error(tmp_path):
    import pytest

    from annotator.formats.background_writer import BackgroundFiles

    (tmp_path / "taken.ann").mkdir()  # a folder where the file should go
    with pytest.raises(IsADirectoryError) as err:
        with BackgroundFiles(tmp_path) as files:
            files.write("first.txt", b"one")
            files.write("taken.ann", b"two")
    assert err.value.filename == str(tmp_path / "taken.ann")
    assert (tmp_path / "first.txt").read_bytes() == b"one"


def test_the_compiled_file_writer_is_built_and_writes_what_the_python_one_writes(tmp_path):
    from annotator.formats import background_writer as bw

    assert bw._write_files is not bw._write_files_python, "annotator/formats/_write_files.c was not built"
    batch = [(str(tmp_path / d / f"{i}.txt").encode(), bytes(range(i % 256)) * i) for d in ("c", "py") for i in range(300)]
    (tmp_path / "c").mkdir()
    (tmp_path / "py").mkdir()
    bw._write_files([b for b in batch if b"/c/" in b[0]])
    bw._write_files_python([b for b in batch if b"/py/" in b[0]])
    for i in range(300):
        assert (tmp_path / "c" / f"{i}.txt").read_bytes() == (tmp_path / "py" / f"{i}.txt").read_bytes() == bytes(range(i % 256)) * i


def test_short_writes_and_systems_without_writev_lose_nothing(tmp_path, monkeypatch):
    import os

    from annotator.formats import background_writer as bw

    chunks = [bytes([i % 251]) * (i * 37 % 5000) for i in range(500)]

    def stingy_writev(fd, views):  # the kernel may write less than asked
        return os.write(fd, bytes(views[0])[:999])

    for writev in (stingy_writev, None):
        monkeypatch.setattr(bw, "_writev", writev)
        path = tmp_path / f"{writev is None}.bin"
        with bw.open_background(path, binary=True) as out:
            for c in chunks:
                out.write(c)
        assert path.read_bytes() == b"".join(chunks)
