using System.Security.Cryptography;
using Rampart.Security.Credentials;

namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>
/// The server side of one SCRAM-SHA-256[-PLUS] exchange (RFC 7677, RFC 5802 §5); the exchange itself is
/// <see cref="ScramServer"/>'s.
/// </summary>
public sealed class ScramSha256Server : ScramServer
{
    /// <summary>Creates the server side of one exchange; <paramref name="plus"/> selects SCRAM-SHA-256-PLUS.</summary>
    public ScramSha256Server(SaslContext context, bool plus)
        : this(context, plus, serverNonce: null)
    {
    }

    /// <summary>For tests only: fixes the server nonce so that RFC test vectors can be replayed.</summary>
    internal ScramSha256Server(SaslContext context, bool plus, string? serverNonce)
        : base(context, HashAlgorithmName.SHA256, ScramSha256Mechanism.Standard.Name, plus, serverNonce)
    {
    }

    private protected override ScramCredential? KeysOf(PasswordCredential password) => password.Scram;
}
