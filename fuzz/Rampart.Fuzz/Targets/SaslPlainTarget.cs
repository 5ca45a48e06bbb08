using System.Text;
using Rampart.Fuzz.Support;
using Rampart.Security.Sasl;

namespace Rampart.Fuzz.Targets;

/// <summary>
/// Runs PLAIN (RFC 4616) through the public SASL API, <see cref="SaslMechanismFactory.TryCreateServer"/> and
/// <see cref="SaslServer.StartAsync"/>, with the input as the decoded initial response; the same octets also go
/// through <see cref="SaslBase64"/>.
/// </summary>
/// <remarks>
/// Input: one option octet (its value is the base64 decode limit, 0–255), then the PLAIN message. Checked promises:
/// the exchange ends in one step; it succeeds only for <c>alice</c> with a password that normalizes (NFKC) to hers and
/// an empty or equal authzid; a failure never carries an identity.
/// </remarks>
internal sealed class SaslPlainTarget : IFuzzTarget
{
    public string Name => "sasl-plain";

    public string Summary => "Rampart.Security PLAIN message parsing (and authentication) via SaslServer; SaslBase64.TryDecode";

    public void Run(ReadOnlySpan<byte> input)
    {
        var limit = FuzzInput.TakeOptions(input, out var message);
        SaslBase64Checks.Check(message, limit);

        var accounts = FuzzAccounts.Instance;
        var context = accounts.Context(channelBinding: null);
        InvariantViolationException.Check(SaslMechanismFactory.CreateDefault().TryCreateServer("plain", context, out var server), "PLAIN is not offered over TLS.");
        var step = server!.StartAsync(message.ToArray()).AsTask().GetAwaiter().GetResult();
        InvariantViolationException.Check(step.Kind != SaslStepKind.Continue && server.IsCompleted, "PLAIN asked for another round.");
        if (step.IsFailure)
        {
            InvariantViolationException.Check(step.Identity is null, "A failure carries an identity.");
            return;
        }

        // Success: the message must really be [authzid] NUL alice NUL password-of-alice.
        var fields = Encoding.UTF8.GetString(message).Split('\0');
        InvariantViolationException.Check(
            fields.Length == 3
            && fields[1] == FuzzAccounts.UserName
            && (fields[0].Length == 0 || fields[0] == FuzzAccounts.UserName)
            && fields[2].Normalize(NormalizationForm.FormKC) == FuzzAccounts.Password
            && step.Identity?.AccountName == FuzzAccounts.UserName,
            "PLAIN authenticated without alice's name and password.");
    }
}
