using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rampart.Security.Credentials;

namespace Rampart.Security.Sasl.Mechanisms.Scram;

/// <summary>
/// The server side of one SCRAM exchange (RFC 5802 §5), for one hash: SCRAM-SHA-256[-PLUS] (RFC 7677,
/// <see cref="ScramSha256Server"/>) or SCRAM-SHA-1[-PLUS] when an admin enabled it (<see cref="ScramSha1Server"/>): client-first, server-first
/// (<c>r=</c> combined nonce, <c>s=</c> salt, <c>i=</c> iterations), client-final (<c>c=</c>, <c>r=</c>,
/// <c>p=</c>), then success with the server signature <c>v=</c> as additional data.
/// </summary>
/// <remarks>
/// <para>Channel binding (RFC 5802 §6): the -PLUS variant accepts only <c>p=tls-server-end-point</c>; the
/// plain variant refuses <c>p=</c>, and refuses <c>y</c> when the connection has channel binding, because
/// then -PLUS was offered and a <c>y</c> means something between the two stripped it (a downgrade).</para>
/// <para>Unknown users (SECURITY.md A06): the exchange goes on with a decoy salt derived from the server
/// secret and the name (<see cref="DecoyCredentials.ScramSalt"/>) and the default iteration count, and fails
/// only at the proof, after the same work a wrong password costs.</para>
/// <para>Replays (SECURITY.md A04): each exchange adds a fresh random server nonce, and the client-final must
/// echo the combined nonce and prove possession over an AuthMessage containing it, so a recorded
/// client-final never fits another exchange.</para>
/// <para>Failures end the exchange with no <c>e=</c> server-error: the protocol's generic failure reply is
/// all the client learns.</para>
/// </remarks>
public abstract class ScramServer : SaslServer
{
    /// <summary>Random bytes in the server's part of the nonce: 18 (RFC 5802 asks for a fresh, unpredictable nonce; 144 bits).</summary>
    public const int ServerNonceBytes = 18;

    private readonly HashAlgorithmName _algorithm;
    private readonly int _hashLength;
    private readonly string _baseName;
    private readonly bool _plus;
    private readonly string? _fixedServerNonce;

    private ScramClientFirstMessage? _clientFirst;
    private string? _serverFirst;
    private string? _combinedNonce;
    private CredentialLookup? _account;
    private byte[]? _storedKey;
    private byte[]? _serverKey;

    /// <summary>Creates the server side of one exchange with <paramref name="algorithm"/>, for the mechanism
    /// <paramref name="baseName"/> (e.g. <c>SCRAM-SHA-256</c>), or its -PLUS variant when <paramref name="plus"/>.</summary>
    /// <param name="context">The connection's SASL context.</param>
    /// <param name="algorithm">SHA-256 or SHA-1.</param>
    /// <param name="baseName">The mechanism name without -PLUS.</param>
    /// <param name="plus">True for the -PLUS variant (channel binding).</param>
    /// <param name="serverNonce">For tests only: a fixed server nonce so that RFC test vectors can be replayed; null in service.</param>
    private protected ScramServer(SaslContext context, HashAlgorithmName algorithm, string baseName, bool plus, string? serverNonce)
        : base(context)
    {
        _algorithm = algorithm;
        _hashLength = ScramCredential.KeyLengthOf(algorithm);
        _baseName = baseName;
        _plus = plus;
        _fixedServerNonce = serverNonce;
    }

    /// <inheritdoc />
    public override string MechanismName => _plus ? _baseName + "-PLUS" : _baseName;

    /// <summary>The stored keys for this hash, or null when the account has none for it.</summary>
    private protected abstract ScramCredential? KeysOf(PasswordCredential password);

    /// <inheritdoc />
    protected override ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (!TryDecodeUtf8(response.Span, out var message))
        {
            return ValueTask.FromResult(SaslStep.Failure(SaslFailureReason.Malformed, _clientFirst?.UserName));
        }

        return _clientFirst is null
            ? ClientFirstAsync(message, cancellationToken)
            : ValueTask.FromResult(ClientFinal(message));
    }

    private async ValueTask<SaslStep> ClientFirstAsync(string message, CancellationToken cancellationToken)
    {
        if (!ScramClientFirstMessage.TryParse(message, out var first))
        {
            return SaslStep.Failure(SaslFailureReason.Malformed);
        }

        var user = first.UserName;
        if (!ChannelBindingFlagAllowed(first))
        {
            return SaslStep.Failure(SaslFailureReason.ChannelBindingMismatch, user);
        }

        // Rampart has no proxy authorization: an authzid may only name the user itself.
        if (first.AuthorizationId is not null && !string.Equals(first.AuthorizationId, user, StringComparison.Ordinal))
        {
            return SaslStep.Failure(SaslFailureReason.AuthzidNotAllowed, user);
        }

        _account = await Context.Credentials.FindAsync(user, cancellationToken).ConfigureAwait(false);
        byte[] salt;
        int iterations;
        if (_account?.Password is { } password && KeysOf(password) is { } scram)
        {
            salt = scram.Salt.ToArray();
            iterations = scram.Iterations;
            _storedKey = scram.StoredKey.ToArray();
            _serverKey = scram.ServerKey.ToArray();
        }
        else
        {
            // An account without keys for this hash (its password was set while SCRAM-SHA-1 was off) shows its
            // SCRAM-SHA-256 salt, which SHA-1 keys would share; an unknown user the decoy salt. Either way the
            // reply looks like a real account's and the exchange fails only at the proof.
            var known = _account?.Password?.Scram;
            salt = known?.Salt.ToArray() ?? DecoyCredentials.ScramSalt(Context.ServerSecret.Span, user);
            iterations = known?.Iterations ?? Context.ScramIterations;
            // Random keys: the proof is checked with the same work and can never match.
            _storedKey = RandomNumberGenerator.GetBytes(_hashLength);
            _serverKey = RandomNumberGenerator.GetBytes(_hashLength);
        }

        _clientFirst = first;
        _combinedNonce = first.ClientNonce + (_fixedServerNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(ServerNonceBytes)));
        _serverFirst = string.Create(CultureInfo.InvariantCulture, $"r={_combinedNonce},s={Convert.ToBase64String(salt)},i={iterations}");
        return SaslStep.Continue(Encoding.UTF8.GetBytes(_serverFirst));
    }

    private SaslStep ClientFinal(string message)
    {
        var first = _clientFirst!;
        var user = first.UserName;
        if (!ScramClientFinalMessage.TryParse(message, _hashLength, out var final))
        {
            return SaslStep.Failure(SaslFailureReason.Malformed, user);
        }

        // c= must repeat the GS2 header, followed by the connection's binding data for 'p' (RFC 5802 §7).
        var gs2Header = Encoding.UTF8.GetBytes(first.Gs2Header);
        var expectedBinding = first.Flag == 'p' ? [.. gs2Header, .. Context.ChannelBinding!] : gs2Header;
        if (!CryptographicOperations.FixedTimeEquals(final.ChannelBinding, expectedBinding))
        {
            return SaslStep.Failure(SaslFailureReason.ChannelBindingMismatch, user);
        }

        var authMessage = Encoding.UTF8.GetBytes($"{first.Bare},{_serverFirst},{final.WithoutProof}");
        Span<byte> clientSignature = stackalloc byte[_hashLength];
        Span<byte> clientKey = stackalloc byte[_hashLength];
        Span<byte> storedKey = stackalloc byte[_hashLength];
        CryptographicOperations.HmacData(_algorithm, _storedKey, authMessage, clientSignature);
        for (var i = 0; i < _hashLength; i++)
        {
            clientKey[i] = (byte)(final.Proof[i] ^ clientSignature[i]);
        }

        CryptographicOperations.HashData(_algorithm, clientKey, storedKey);
        var proofValid = CryptographicOperations.FixedTimeEquals(storedKey, _storedKey);
        // A replayed or tampered client-final carries another nonce; the proof over this AuthMessage would not
        // match either, but the nonce check says so plainly.
        var nonceValid = string.Equals(final.Nonce, _combinedNonce, StringComparison.Ordinal);
        CryptographicOperations.ZeroMemory(clientKey);

        if (_account?.Password is not { } password || KeysOf(password) is null)
        {
            return SaslStep.Failure(_account is null ? SaslFailureReason.UnknownUser : SaslFailureReason.NoCredential, user);
        }

        if (!proofValid || !nonceValid)
        {
            return SaslStep.Failure(SaslFailureReason.BadCredentials, user);
        }

        if (!_account.Enabled)
        {
            return SaslStep.Failure(SaslFailureReason.Disabled, user);
        }

        Span<byte> serverSignature = stackalloc byte[_hashLength];
        CryptographicOperations.HmacData(_algorithm, _serverKey, authMessage, serverSignature);
        var serverFinal = Encoding.ASCII.GetBytes("v=" + Convert.ToBase64String(serverSignature));
        return SaslStep.Success(new SaslIdentity(_account.AccountName, MechanismName), serverFinal, user);
    }

    private bool ChannelBindingFlagAllowed(ScramClientFirstMessage first) => first.Flag switch
    {
        // -PLUS: the client must bind, with the one type we have, and we must have the data.
        'p' => _plus
            && string.Equals(first.ChannelBindingName, ScramClientFirstMessage.TlsServerEndPoint, StringComparison.Ordinal)
            && Context.ChannelBinding is not null,
        // RFC 5802 §6: 'y' says "I could bind but the server cannot"; if we can, -PLUS was offered and stripped.
        'y' => !_plus && Context.ChannelBinding is null,
        _ => !_plus,
    };

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        text = string.Empty;
        if (!System.Text.Unicode.Utf8.IsValid(bytes) || bytes.Contains((byte)0))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
