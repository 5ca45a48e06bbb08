using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Rampart.Testing.OAuth;

namespace Rampart.Server.Tests.Federated;

/// <summary>The test issuer's HTTP side on 127.0.0.1: <c>/jwks</c> (its JWK Set) and <c>/introspect</c> (RFC 7662,
/// HTTP Basic client authentication), plus a count of JWKS fetches to see rotation happen.</summary>
public sealed class LocalIssuerEndpoint : IDisposable
{
    public const string ClientId = "rampart";
    public const string ClientSecret = "introspection-secret-1";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _jwksFetches;

    public LocalIssuerEndpoint(TestTokenIssuer issuer)
    {
        Issuer = issuer;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public TestTokenIssuer Issuer { get; }

    public int Port { get; }

    public string JwksUrl => $"http://127.0.0.1:{Port}/jwks";

    /// <summary>The settings (environment form) that point <c>rampart serve</c> at this issuer's JWKS.</summary>
    public Dictionary<string, string> ServerSettings() => new()
    {
        ["Security__OAuth__Issuer"] = TestTokenIssuer.Issuer,
        ["Security__OAuth__Audience"] = TestTokenIssuer.Audience,
        ["Security__OAuth__JwksUrl"] = JwksUrl,
        ["Security__OAuth__JwksMinRefreshInterval"] = "00:00:00",
        ["Security__OAuth__ClockSkew"] = "00:00:30",
        ["Security__OAuth__Scope"] = "mail",
        ["Security__OAuth__OpenIdConfiguration"] = "https://issuer.rampart.test/.well-known/openid-configuration",
    };

    public string IntrospectionUrl => $"http://127.0.0.1:{Port}/introspect";

    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    /// <summary>Introspection answers by token; a token not here is inactive.</summary>
    public ConcurrentDictionary<string, JsonObject> ActiveTokens { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        string body;
        var status = 200;
        switch (context.Request.Url!.AbsolutePath)
        {
            case "/jwks":
                Interlocked.Increment(ref _jwksFetches);
                body = Issuer.Jwks();
                break;
            case "/introspect":
                var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret));
                if (context.Request.Headers["Authorization"] != expected)
                {
                    status = 401;
                    body = "{\"error\":\"invalid_client\"}";
                    break;
                }

                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    var form = System.Web.HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
                    var token = form["token"] ?? string.Empty;
                    body = ActiveTokens.TryGetValue(token, out var answer) ? answer.ToJsonString() : "{\"active\":false}";
                }

                break;
            default:
                status = 404;
                body = "{}";
                break;
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
