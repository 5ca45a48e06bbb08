namespace Rampart.Testing.Transcripts;

/// <summary>What a transcript step does (STYLE.md transcript format).</summary>
public enum StepKind
{
    /// <summary><c>N&gt; TEXT</c>: connection N sends TEXT and CRLF.</summary>
    Send,

    /// <summary><c>N&gt;&gt; TEXT</c>: connection N sends the unescaped TEXT, nothing added, in one write.</summary>
    SendRaw,

    /// <summary><c>N&lt; EXPECTED</c>: connection N must receive a line matching EXPECTED (<see cref="TranscriptMatcher"/>).</summary>
    Expect,

    /// <summary><c>N! tls</c>: connection N starts TLS after the server's go-ahead.</summary>
    StartTls,

    /// <summary><c>N! close</c>: connection N hangs up.</summary>
    Close,

    /// <summary><c>N! closed</c>: the server must close connection N now.</summary>
    ExpectClosed,

    /// <summary><c>! TEXT</c> without a connection number: a protocol-specific check of the server's state.</summary>
    Check,
}

/// <summary>One step; <see cref="Text"/> for raw sends holds one char per octet (Latin-1).</summary>
public sealed record TranscriptStep(int Connection, StepKind Kind, string Text, int LineNumber);
