using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>
/// A parsed client-final-message (RFC 5802 §7): <c>"c=" base64 "," "r=" nonce ["," extensions] "," "p=" base64</c>.
/// </summary>
internal sealed class ScramClientFinalMessage
{
    private ScramClientFinalMessage(byte[] channelBinding, string nonce, string withoutProof, byte[] proof)
    {
        ChannelBinding = channelBinding;
        Nonce = nonce;
        WithoutProof = withoutProof;
        Proof = proof;
    }

    /// <summary>The decoded <c>c=</c>: GS2 header, then the channel-binding data when the flag was 'p'.</summary>
    public byte[] ChannelBinding { get; }

    /// <summary>The combined nonce the client echoes.</summary>
    public string Nonce { get; }

    /// <summary>client-final-message-without-proof as sent, the last part of AuthMessage.</summary>
    public string WithoutProof { get; }

    /// <summary>The decoded ClientProof.</summary>
    public byte[] Proof { get; }

    public static bool TryParse(string message, int proofLength, [NotNullWhen(true)] out ScramClientFinalMessage? parsed)
    {
        parsed = null;
        // The proof is the last attribute (RFC 5802 §7), so AuthMessage uses everything before ",p=".
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return false;
        }

        var withoutProof = message[..proofAt];
        if (!SaslBase64.TryDecode(Encoding.ASCII.GetBytes(message[(proofAt + 3)..]), proofLength, out var proof) || proof.Length != proofLength)
        {
            return false;
        }

        var attributes = withoutProof.Split(',');
        if (attributes.Length < 2
            || !ScramAttributes.Is(attributes[0], 'c')
            || !SaslBase64.TryDecode(Encoding.ASCII.GetBytes(attributes[0][2..]), out var channelBinding)
            || !ScramAttributes.Is(attributes[1], 'r') || !ScramAttributes.IsPrintable(attributes[1].AsSpan(2)))
        {
            return false;
        }

        for (var i = 2; i < attributes.Length; i++)
        {
            if (!ScramAttributes.IsExtension(attributes[i]))
            {
                return false;
            }
        }

        parsed = new ScramClientFinalMessage(channelBinding, attributes[1][2..], withoutProof, proof);
        return true;
    }
}
