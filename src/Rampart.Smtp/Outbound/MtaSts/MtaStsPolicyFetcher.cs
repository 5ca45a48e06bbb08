using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Rampart.Smtp.Outbound.MtaSts;

/// <summary>Fetches <c>https://mta-sts.DOMAIN/.well-known/mta-sts.txt</c> (RFC 8461 §3.3): HTTPS only, a certificate
/// valid for <c>mta-sts.DOMAIN</c>, no redirects, a 200 answer of type text/plain, at most
/// <see cref="TransportSecurityOptions.MaxPolicySize"/> octets, within
/// <see cref="TransportSecurityOptions.MtaStsFetchTimeout"/>. The host is resolved with Rampart's own resolver.</summary>
public sealed class MtaStsPolicyFetcher : IDisposable
{
    private readonly HttpClient client;
    private readonly TransportSecurityOptions options;

    /// <summary>A fetcher resolving names through <paramref name="resolver"/> and trusting certificates through <paramref name="trust"/>.</summary>
    public MtaStsPolicyFetcher(TransportSecurityOptions options, MxResolver resolver, CertificateTrust trust)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(trust);
        this.options = options;
        var handler = new SocketsHttpHandler
        {
            // RFC 8461 §3.3: "HTTP 3xx redirects MUST NOT be followed".
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.MtaStsFetchTimeout,
            MaxResponseHeadersLength = 16,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => trust.IsTrusted(certificate, chain, errors),
            },
            ConnectCallback = async (context, cancellationToken) =>
            {
                // The system resolver is not Rampart's: MX, TLSA and the policy host all come from Smtp:Dns:Servers.
                var lookup = await resolver.AddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
                var addresses = lookup.Hosts.Count > 0 ? lookup.Hosts[0].Addresses ?? [] : [];
                Exception? last = null;
                foreach (var address in addresses)
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, options.MtaStsPort), cancellationToken).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch (SocketException e)
                    {
                        socket.Dispose();
                        last = e;
                    }
                }

                throw new HttpRequestException($"{context.DnsEndPoint.Host}: no reachable address", last);
            },
        };
        client = new HttpClient(handler) { Timeout = options.MtaStsFetchTimeout };
    }

    /// <summary>The policy text of <paramref name="domain"/>, or an error saying why there is none.</summary>
    public async Task<(string? Text, string? Error)> FetchAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var host = "mta-sts." + domain;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://{host}/.well-known/mta-sts.txt"));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.MtaStsFetchTimeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // RFC 8461 §3.3: only 200 is a policy; redirects and errors are "no policy".
                return (null, $"{host} answered {(int)response.StatusCode}");
            }

            if (!IsTextPlain(response.Content.Headers.ContentType))
            {
                return (null, $"{host} answered with type {response.Content.Headers.ContentType?.MediaType ?? "none"}, not text/plain");
            }

            if (response.Content.Headers.ContentLength > TransportSecurityOptions.MaxPolicySize)
            {
                return (null, $"{host}: the policy is larger than {TransportSecurityOptions.MaxPolicySize} octets");
            }

            await using var body = await response.Content.ReadAsStreamAsync(limit.Token).ConfigureAwait(false);
            var buffer = new byte[TransportSecurityOptions.MaxPolicySize + 1];
            var length = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(length), limit.Token).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length > TransportSecurityOptions.MaxPolicySize)
                {
                    return (null, $"{host}: the policy is larger than {TransportSecurityOptions.MaxPolicySize} octets");
                }
            }

            return (Encoding.UTF8.GetString(buffer, 0, length), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"{host}: no policy within {options.MtaStsFetchTimeout}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return (null, $"{host}: {e.Message}");
        }
    }

    public void Dispose() => client.Dispose();

    private static bool IsTextPlain(MediaTypeHeaderValue? type) =>
        string.Equals(type?.MediaType, "text/plain", StringComparison.OrdinalIgnoreCase);
}
