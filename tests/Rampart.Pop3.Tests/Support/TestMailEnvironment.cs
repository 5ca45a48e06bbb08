using System.Text;
using Rampart.Pop3.Session;
using Rampart.Security.Credentials;
using Rampart.Security.Passwords;
using Rampart.Security.Sasl;
using Rampart.Server.Accounts;
using Rampart.Server.Security;
using Rampart.Store;
using Rampart.Store.Model;
using Rampart.Store.Sqlite;

namespace Rampart.Pop3.Tests.Support;

/// <summary>A real SQLite store in a temporary directory with accounts and passwords, and POP3 services over it.</summary>
public sealed class TestMailEnvironment : IAsyncDisposable
{
    // Cheap Argon2id so that tests with many logins stay quick; the cost is read back from each hash.
    private static readonly PasswordHasher Hasher = new(new Argon2Cost(Argon2Cost.MinMemoryKib * 16, 1));

    private TestMailEnvironment(string directory, IMailStore store, AccountCredentials credentials)
    {
        Directory = directory;
        Store = store;
        Credentials = credentials;
        Legacy = new LegacySecrets(new StoreAccountSecrets(store), ServerSecret);
    }

    /// <summary>The server secret the legacy secrets are sealed under.</summary>
    public static byte[] ServerSecret { get; } = new byte[32];

    /// <summary>APOP/CRAM-MD5 secrets, sealed in the store like the server keeps them.</summary>
    public LegacySecrets Legacy { get; }

    public string Directory { get; }

    public IMailStore Store { get; }

    public AccountCredentials Credentials { get; }

    public static async Task<TestMailEnvironment> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rampart-pop3-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = directory, Durable = false });
        return new TestMailEnvironment(directory, store, new AccountCredentials(store, Hasher));
    }

    /// <summary>POP3 services over the store; with <paramref name="legacy"/>, APOP and CRAM-MD5 are offered
    /// (<c>Security:LegacyMechanisms</c> true).</summary>
    public Pop3Services CreateServices(Pop3Options? options = null, TimeProvider? time = null, bool legacy = false) =>
        new(Store, new SaslContext { Credentials = Credentials, PasswordHasher = Hasher, ServerSecret = ServerSecret, ScramIterations = 4096 }, "pop3.test", options)
        {
            Time = time ?? TimeProvider.System,
            LegacySecrets = legacy ? Legacy : null,
        };

    public async Task<Account> AddUserAsync(string name, string password)
    {
        var account = await Store.CreateAccountAsync(name, [name + "@example.test"]);
        await Credentials.SetPasswordAsync(account, password, CancellationToken.None);
        return account;
    }

    public async Task<AppendResult> DeliverAsync(string account, string message)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(message));
        var outcome = (await Store.DeliverAsync(stream, [new DeliveryTarget(account, null, MessageFlags.Empty)]))[0];
        return outcome.Result ?? throw new InvalidOperationException($"delivery failed: {outcome.Error}");
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
