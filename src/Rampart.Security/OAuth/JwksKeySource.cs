using Microsoft.IdentityModel.Tokens;

namespace Rampart.Security.OAuth;

/// <summary>
/// The issuer's public keys (a JWK Set, RFC 7517 §5) from a file or a URL, kept in memory and read again every
/// <see cref="OAuthOptions.JwksRefreshInterval"/>, or sooner when a token names a key id the set lacks (key rotation),
/// but never more often than <see cref="OAuthOptions.JwksMinRefreshInterval"/>.
/// </summary>
/// <remarks>Only keys usable for signatures are kept: no symmetric (<c>oct</c>) keys, no keys marked <c>use: enc</c>,
/// so a token signed with HS256 can never be checked against a public key taken as an HMAC secret (RFC 8725 §2.1).
/// A failed read keeps the previous keys.</remarks>
public sealed class JwksKeySource : IDisposable
{
    /// <summary>The largest JWKS accepted: 1 MiB (real sets are a few KiB; more is a misconfiguration or an attack).</summary>
    public const int MaxJwksBytes = 1024 * 1024;

    private readonly OAuthOptions _options;
    private readonly HttpClient? _http;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>Creates the source; <paramref name="http"/> fetches <see cref="OAuthOptions.JwksUrl"/>.</summary>
    public JwksKeySource(OAuthOptions options, HttpClient? http = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _http = http;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The current keys, read first when they are missing or older than the refresh interval.</summary>
    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _loadedAt >= _options.JwksRefreshInterval)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        return _keys;
    }

    /// <summary>Reads the set again because a token named an unknown key; false when the last read is too recent.</summary>
    public async ValueTask<bool> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _loadedAt < _options.JwksMinRefreshInterval)
        {
            return false;
        }

        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Parses a JWK Set document, keeping the signature keys only.</summary>
    public static IReadOnlyList<SecurityKey> Parse(string json)
    {
        var set = new JsonWebKeySet(json) { SkipUnresolvedJsonWebKeys = true };
        return [.. set.Keys
            .Where(k => k.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve)
            .Where(k => string.IsNullOrEmpty(k.Use) || k.Use == JsonWebKeyUseNames.Sig)
            .Cast<SecurityKey>()];
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var before = _loadedAt;
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller refreshed while this one waited.
            if (_loadedAt != before)
            {
                return;
            }

            var json = await ReadAsync(cancellationToken).ConfigureAwait(false);
            _keys = Parse(json);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or TaskCanceledException)
        {
            // Keep the previous keys: an issuer briefly unreachable must not lock everyone out.
        }
        finally
        {
            _loadedAt = _time.GetUtcNow();
            _refresh.Release();
        }
    }

    private async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.JwksFile))
        {
            if (new FileInfo(_options.JwksFile).Length > MaxJwksBytes)
            {
                throw new InvalidOperationException("The JWKS file is too large.");
            }

            return await File.ReadAllTextAsync(_options.JwksFile, cancellationToken).ConfigureAwait(false);
        }

        if (_http is null || string.IsNullOrWhiteSpace(_options.JwksUrl))
        {
            throw new InvalidOperationException("No JWKS file or URL.");
        }

        using var response = await _http.GetAsync(new Uri(_options.JwksUrl), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await BoundedContent.ReadStringAsync(response.Content, MaxJwksBytes, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _refresh.Dispose();
}
