namespace Rampart.Server.Monitoring;

/// <summary>The verdict of one self-check item.</summary>
public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One line of <c>rampart security audit</c>.</summary>
/// <param name="Id">Stable id, e.g. <c>listener.imap</c>.</param>
/// <param name="Status">PASS, WARN or FAIL.</param>
/// <param name="Finding">What was found.</param>
/// <param name="Risk">The risk in one line (empty for PASS).</param>
/// <param name="Fix">How to fix it (empty for PASS).</param>
public sealed record SecurityCheck(string Id, CheckStatus Status, string Finding, string Risk, string Fix);
