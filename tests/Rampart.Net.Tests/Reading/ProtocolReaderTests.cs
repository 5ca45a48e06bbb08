using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Rampart.Net.Reading;

namespace Rampart.Net.Tests.Reading;

public class ProtocolReaderTests
{
    [Fact]
    public async Task Reads_lines_and_streams_a_literal_in_chunks()
    {
        var pipe = new Pipe();
        var reader = new ProtocolReader(pipe.Reader, new LineReaderLimits { MaxLiteralLength = 1_000_000 });
        var body = new byte[300_000];
        Random.Shared.NextBytes(body);
        var writer = Task.Run(async () =>
        {
            await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("a APPEND INBOX {300000}\r\n"));
            for (var i = 0; i < body.Length; i += 7000)
            {
                await pipe.Writer.WriteAsync(body.AsMemory(i, Math.Min(7000, body.Length - i)));
            }

            await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("\r\na2 NOOP\r\n"));
            await pipe.Writer.CompleteAsync();
        });

        var first = await reader.ReadLineAsync();
        Assert.Equal(LineReadStatus.Line, first.Status);
        Assert.Equal(300_000, first.Literal!.Value.Length);
        var sink = new ChunkCountingStream();
        Assert.True(await reader.ReadLiteralAsync(sink));
        Assert.Equal(body, sink.ToArray());
        Assert.True(sink.LargestWrite < body.Length, "the literal must arrive in chunks, not as one buffer");

        var rest = await reader.ReadLineAsync();
        Assert.Equal(LineReadStatus.Line, rest.Status);
        Assert.True(rest.Line.IsEmpty);
        var next = await reader.ReadLineAsync();
        Assert.Equal("a2 NOOP", Encoding.ASCII.GetString(next.Line.ToArray()));
        Assert.Equal(LineReadStatus.EndOfStream, (await reader.ReadLineAsync()).Status);
        await writer;
    }

    // M03: 10 MB without CRLF is reported at the limit, the pipe never holds much more than the limit, and the
    // rest can be skipped with flat memory so the next command still works.
    [Fact]
    public async Task Ten_megabytes_without_crlf_is_too_long_with_flat_memory()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        var measured = new MeasuringPipeReader(pipe.Reader);
        var reader = new ProtocolReader(measured, new LineReaderLimits { MaxLineLength = 64 * 1024 });
        const int total = 10 * 1024 * 1024;
        var writer = Task.Run(async () =>
        {
            var chunk = new byte[4096];
            chunk.AsSpan().Fill((byte)'x');
            for (var sent = 0; sent < total; sent += chunk.Length)
            {
                await pipe.Writer.WriteAsync(chunk);
            }

            await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("\r\na2 NOOP\r\n"));
            await pipe.Writer.CompleteAsync();
        });

        var result = await reader.ReadLineAsync();
        Assert.Equal(LineReadStatus.LineTooLong, result.Status);
        Assert.InRange(measured.LargestBuffer, 64 * 1024, (64 * 1024) + 2 + (64 * 1024));

        Assert.True(await reader.SkipLineAsync());
        var next = await reader.ReadLineAsync();
        Assert.Equal(LineReadStatus.Line, next.Status);
        Assert.Equal("a2 NOOP", Encoding.ASCII.GetString(next.Line.ToArray()));
        await writer;
        // Across all 10 MB, the reader never held more than the limit plus one pipe's worth.
        Assert.True(measured.LargestBuffer < 256 * 1024, $"largest buffer {measured.LargestBuffer}");
        Assert.True(measured.TotalBytesSeen >= total, "the whole flood went through the pipe");
    }

    [Fact]
    public async Task Literal_must_be_read_before_the_next_line()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("a LOGIN {3}\r\nabc x\r\n"));
        var reader = new ProtocolReader(pipe.Reader);
        Assert.NotNull((await reader.ReadLineAsync()).Literal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await reader.ReadLineAsync());
        Assert.True(await reader.ReadLiteralAsync(null));
        Assert.Equal(" x", Encoding.ASCII.GetString((await reader.ReadLineAsync()).Line.ToArray()));
    }

    // PIPELINING (RFC 2920 §3.2): the hook runs only when the reader would wait, never while pipelined lines are here.
    [Fact]
    public async Task BeforeWait_runs_only_when_the_reader_must_wait()
    {
        var pipe = new Pipe();
        var waits = 0;
        var reader = new ProtocolReader(pipe.Reader, new LineReaderLimits { DetectLiterals = false })
        {
            BeforeWait = _ =>
            {
                waits++;
                return ValueTask.CompletedTask;
            },
        };
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n"));

        Assert.Equal("MAIL FROM:<a@b>", Encoding.ASCII.GetString((await reader.ReadLineAsync()).Line.ToArray()));
        Assert.Equal("RCPT TO:<c@d>", Encoding.ASCII.GetString((await reader.ReadLineAsync()).Line.ToArray()));
        Assert.Equal(0, waits);

        var next = reader.ReadLineAsync();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("DATA\r\n"));
        Assert.Equal("DATA", Encoding.ASCII.GetString((await next).Line.ToArray()));
        Assert.Equal(1, waits);
    }

    // SMTP DATA/BDAT: content after a line is handed over as it comes; what is not consumed is read again, and the
    // next line starts right after the consumed part.
    [Fact]
    public async Task ReadBytes_hands_over_unframed_content_and_lines_resume_after_it()
    {
        var pipe = new Pipe();
        var reader = new ProtocolReader(pipe.Reader, new LineReaderLimits { DetectLiterals = false });
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("BDAT 5\r\nhel"));

        Assert.Equal("BDAT 5", Encoding.ASCII.GetString((await reader.ReadLineAsync()).Line.ToArray()));
        var first = await reader.ReadBytesAsync();
        Assert.Equal("hel", Encoding.ASCII.GetString(first.ToArray()));
        reader.Consume(2);

        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("loNOOP\r\n"));
        var second = await reader.ReadBytesAsync();
        Assert.Equal("lloNOOP\r\n", Encoding.ASCII.GetString(second.ToArray()));
        reader.Consume(3);

        Assert.Equal("NOOP", Encoding.ASCII.GetString((await reader.ReadLineAsync()).Line.ToArray()));
        await pipe.Writer.CompleteAsync();
        Assert.True((await reader.ReadBytesAsync()).IsEmpty);
    }

    [Fact]
    public async Task ReadBytes_refuses_while_a_literal_is_pending_and_Consume_needs_a_read()
    {
        var pipe = new Pipe();
        var reader = new ProtocolReader(pipe.Reader);
        Assert.Throws<InvalidOperationException>(() => reader.Consume(1));
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("a APPEND x {3}\r\nabc"));
        Assert.Equal(3, (await reader.ReadLineAsync()).Literal!.Value.Length);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await reader.ReadBytesAsync());
    }

    private sealed class ChunkCountingStream : MemoryStream
    {
        public int LargestWrite { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    private sealed class MeasuringPipeReader(PipeReader inner) : PipeReader
    {
        private ReadOnlySequence<byte> _last;

        public long LargestBuffer { get; private set; }

        public long TotalBytesSeen { get; private set; }

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            LargestBuffer = Math.Max(LargestBuffer, result.Buffer.Length);
            _last = result.Buffer;
            return result;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            TotalBytesSeen += _last.Slice(_last.Start, consumed).Length;
            inner.AdvanceTo(consumed, examined);
        }

        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
