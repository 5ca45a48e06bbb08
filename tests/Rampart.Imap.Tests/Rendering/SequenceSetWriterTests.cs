using Rampart.Imap.Rendering;

namespace Rampart.Imap.Tests.Rendering;

public class SequenceSetWriterTests
{
    [Theory]
    [InlineData(new uint[] { }, "")]
    [InlineData(new uint[] { 5 }, "5")]
    [InlineData(new uint[] { 1, 2, 3, 5, 7, 8, 9 }, "1:3,5,7:9")]
    [InlineData(new uint[] { 9, 3, 3, 1, 2, 8 }, "1:3,8:9")]
    [InlineData(new uint[] { 4294967294, 4294967295, 1 }, "1,4294967294:4294967295")]
    public void Runs_become_ranges(uint[] numbers, string expected) =>
        Assert.Equal(expected, RenderingSamples.Render(o => SequenceSetWriter.Write(o, numbers)));
}
