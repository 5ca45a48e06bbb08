using System.Security.Cryptography;
using System.Text;
using Rampart.Fuzz.Support;
using Rampart.Security.Sasl;

namespace Rampart.Fuzz.Targets;

/// <summary>
/// Runs SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (RFC 5802, RFC 7677) through the public SASL API: the client-first
/// attributes, then the client-final attributes, then any further response.
/// </summary>
/// <remarks>
/// <para>Input: one option octet (bit 0 selects -PLUS, bit 1 gives the connection channel binding data for the plain
/// variant too, bits 2–7 are the base64 decode limit over 4), then up to three responses separated by NUL (SCRAM
/// refuses NUL, so the separator hides nothing).</para>
/// <para>So that the fuzzer can reach past the nonce and proof checks, the client-final may hold placeholders the
/// harness fills in like a real client would: <c>@nonce@</c> becomes the combined nonce of the server-first message,
/// <c>@cbind@</c> the base64 of the GS2 header (and the channel binding data for <c>p=</c>), and a final
/// <c>,p=@proof@</c> the correct proof for <c>alice</c>'s password over the AuthMessage.</para>
/// <para>Checked promises: a server-first message is <c>r=</c> the client nonce then the server's, <c>s=</c>, <c>i=</c>;
/// success comes only with a proof the harness computed from the password, for <c>alice</c>, with the server
/// signature RFC 5802 §3 defines; a finished exchange is marked completed; a failure carries no identity.</para>
/// </remarks>
internal sealed class SaslScramTarget : IFuzzTarget
{
    private const string ProofPlaceholder = ",p=@proof@";

    private static readonly byte[] ChannelBindingData = SHA256.HashData("rampart-fuzz-certificate"u8);

    public string Name => "sasl-scram";

    public string Summary => "Rampart.Security SCRAM-SHA-256[-PLUS] client-first/client-final attribute parsing via SaslServer";

    public void Run(ReadOnlySpan<byte> input)
    {
        var options = FuzzInput.TakeOptions(input, out var payload);
        SaslBase64Checks.Check(payload, (options >> 2) * 4);

        var plus = (options & 1) != 0;
        var binding = plus || (options & 2) != 0 ? ChannelBindingData : null;
        var accounts = FuzzAccounts.Instance;
        var name = plus ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256";
        InvariantViolationException.Check(SaslMechanismFactory.CreateDefault().TryCreateServer(name, accounts.Context(binding), out var server), name + " is not offered.");

        var responses = FuzzInput.SplitOnNul(payload, 3);
        var clientFirst = responses[0];
        var step = server!.StartAsync(clientFirst).AsTask().GetAwaiter().GetResult();
        if (!CheckStep(step, server, proofComputed: false))
        {
            return;
        }

        var serverFirst = Encoding.UTF8.GetString(step.Challenge.Span);
        var clientNonce = Attribute(ClientFirstBare(clientFirst), 'r');
        InvariantViolationException.Check(
            serverFirst.StartsWith("r=" + clientNonce, StringComparison.Ordinal) && serverFirst.Length > clientNonce.Length + 2
            && serverFirst.Contains(",s=", StringComparison.Ordinal) && serverFirst.Contains(",i=", StringComparison.Ordinal),
            "The server-first message is not r=<client nonce><server nonce>,s=,i=.");
        if (responses.Count < 2)
        {
            return;
        }

        var (clientFinal, expectedSignature) = FillClientFinal(responses[1], clientFirst, serverFirst, binding);
        step = server.StepAsync(clientFinal).AsTask().GetAwaiter().GetResult();
        if (!CheckStep(step, server, expectedSignature is not null))
        {
            return;
        }

        if (step.IsSuccess)
        {
            InvariantViolationException.Check(
                step.AdditionalData.Span.SequenceEqual(Encoding.ASCII.GetBytes("v=" + Convert.ToBase64String(expectedSignature!))),
                "The server signature is not HMAC(ServerKey, AuthMessage).");
            return;
        }

        // SCRAM has no third client message; a server that continued must end the exchange now.
        step = server.StepAsync(responses.Count > 2 ? responses[2] : []).AsTask().GetAwaiter().GetResult();
        InvariantViolationException.Check(step.IsFailure, "SCRAM accepted a third client message.");
    }

    /// <summary>Checks one step; true when the exchange goes on.</summary>
    private static bool CheckStep(SaslStep step, SaslServer server, bool proofComputed)
    {
        if (step.IsFailure)
        {
            InvariantViolationException.Check(step.Identity is null && server.IsCompleted, "A failure carries an identity or leaves the exchange open.");
            return false;
        }

        if (step.IsSuccess)
        {
            InvariantViolationException.Check(proofComputed, "SCRAM succeeded without the client proving the password.");
            InvariantViolationException.Check(step.Identity?.AccountName == FuzzAccounts.UserName && server.IsCompleted, "SCRAM succeeded for another account than alice.");
            return true;
        }

        InvariantViolationException.Check(!server.IsCompleted, "A continuation on a completed exchange.");
        return true;
    }

    /// <summary>Fills the placeholders; returns the message and, when a proof was computed, the expected server signature.</summary>
    private static (byte[] Message, byte[]? ServerSignature) FillClientFinal(byte[] template, byte[] clientFirst, string serverFirst, byte[]? binding)
    {
        var text = Encoding.UTF8.GetString(template);
        if (!text.Contains('@', StringComparison.Ordinal))
        {
            return (template, null);
        }

        var first = Encoding.UTF8.GetString(clientFirst);
        var gs2End = first.IndexOf(',', first.IndexOf(',', StringComparison.Ordinal) + 1) + 1;
        var gs2Header = Encoding.UTF8.GetBytes(first[..gs2End]);
        byte[] cbind = first.StartsWith("p=", StringComparison.Ordinal) && binding is not null ? [.. gs2Header, .. binding] : gs2Header;
        text = text.Replace("@nonce@", Attribute(serverFirst, 'r'), StringComparison.Ordinal)
            .Replace("@cbind@", Convert.ToBase64String(cbind), StringComparison.Ordinal);
        if (!text.EndsWith(ProofPlaceholder, StringComparison.Ordinal))
        {
            return (Encoding.UTF8.GetBytes(text), null);
        }

        // RFC 5802 §3: ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage); ServerSignature = HMAC(ServerKey, AuthMessage).
        var withoutProof = text[..^ProofPlaceholder.Length];
        var authMessage = Encoding.UTF8.GetBytes(first[gs2End..] + "," + serverFirst + "," + withoutProof);
        var salted = FuzzAccounts.Instance.SaltedPassword;
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var clientSignature = HMACSHA256.HashData(SHA256.HashData(clientKey), authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        var serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), authMessage);
        return (Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof)), serverSignature);
    }

    private static string ClientFirstBare(byte[] clientFirst)
    {
        var text = Encoding.UTF8.GetString(clientFirst);
        return text[(text.IndexOf(',', text.IndexOf(',', StringComparison.Ordinal) + 1) + 1)..];
    }

    /// <summary>The value of attribute <paramref name="name"/> in a comma-separated SCRAM message, or empty.</summary>
    private static string Attribute(string message, char name)
    {
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[0] == name && part[1] == '=')
            {
                return part[2..];
            }
        }

        return string.Empty;
    }
}
