using Rampart.Smtp.Session;
using Rampart.Testing.Transcripts;

namespace Rampart.Smtp.Tests.Transcripts;

/// <summary>The command table (STYLE.md): every command has a handler, a mode, its RFC, and is exercised by a transcript.</summary>
public sealed class CommandTableTests
{
    [Fact]
    public void Every_command_has_a_handler_a_mode_an_rfc_and_a_transcript()
    {
        var transcripts = string.Join('\n', Directory.GetFiles(TranscriptFiles.Directory, "*.txt").Select(File.ReadAllText));
        foreach (var (verb, definition) in SmtpCommandTable.Commands)
        {
            Assert.NotNull(definition.Handler);
            Assert.NotEqual(0, (int)definition.Modes);
            Assert.StartsWith("RFC ", definition.Rfc, StringComparison.Ordinal);
            Assert.True(transcripts.Contains("> " + verb, StringComparison.Ordinal) || transcripts.Contains(">> " + verb, StringComparison.Ordinal) || transcripts.Contains("\\n" + verb, StringComparison.Ordinal),
                $"no transcript sends {verb}");
        }
    }
}
