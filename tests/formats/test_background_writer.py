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


