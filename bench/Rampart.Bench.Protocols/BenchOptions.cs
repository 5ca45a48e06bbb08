using System.Globalization;

namespace Rampart.Bench.Protocols;

/// <summary>Command-line options; every size has a full default and a <c>--quick</c> default (under two minutes).</summary>
internal sealed class BenchOptions
{
    public static readonly string[] AllScenarios = ["pop3", "imap-mixed", "imap-idle", "imap-append", "imap-fetch", "imap-search", "imap-select", "lmtp"];

    public bool Quick { get; private set; }

    public HashSet<string> Scenarios { get; private set; } = [.. AllScenarios];

    public bool RampartOnly { get; private set; }

    public int Pop3Messages { get; private set; } = 200;

    public int Pop3Sessions { get; private set; } = 40;

    public int[] Pop3Clients { get; private set; } = [1, 8];

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);

    public int[] MixedClients { get; private set; } = [10, 50, 200];

    public int[] IdleSessions { get; private set; } = [1000];

    public int AppendMessages { get; private set; } = 10_000;

    public int BigMailbox { get; private set; } = 20_000;

    public int RampartPortOffset { get; private set; } = 30_000;

    public int DovecotPortOffset { get; private set; } = 40_000;

    public string WorkParent { get; private set; } = Path.GetTempPath();

    public bool Keep { get; private set; }

    public int Seed { get; private set; } = 20240108;

    /// <summary>Extra Rampart settings for the run (<c>--rampart-set Monitoring:Enabled=false</c>), passed as
    /// <c>RAMPART__</c> variables: to measure one setting's cost, e.g. monitoring on vs off.</summary>
    public Dictionary<string, string> RampartSettings { get; } = [];

    /// <summary>The hash Dovecot's passwd-file stores: ARGON2ID like Rampart, or e.g. SHA512-CRYPT.</summary>
    public string DovecotScheme { get; private set; } = "ARGON2ID";

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions();
        if (args.Contains("--quick"))
        {
            options.Quick = true;
            options.Pop3Messages = 50;
            options.Pop3Sessions = 10;
            options.Duration = TimeSpan.FromSeconds(4);
            options.MixedClients = [10, 50];
            options.IdleSessions = [100];
            options.AppendMessages = 300;
            options.BigMailbox = 1000;
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
            int Int() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            int[] Ints() => [.. Value().Split(',').Select(v => int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture))];
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--scenarios":
                    options.Scenarios = [.. Value().Split(',')];
                    if (options.Scenarios.Except(AllScenarios).ToList() is { Count: > 0 } unknown)
                    {
                        throw new ArgumentException("unknown scenario(s): " + string.Join(", ", unknown));
                    }

                    break;
                case "--rampart-only":
                    options.RampartOnly = true;
                    break;
                case "--pop3-messages":
                    options.Pop3Messages = Int();
                    break;
                case "--pop3-sessions":
                    options.Pop3Sessions = Int();
                    break;
                case "--pop3-clients":
                    options.Pop3Clients = Ints();
                    break;
                case "--duration":
                    options.Duration = TimeSpan.FromSeconds(Int());
                    break;
                case "--mixed-clients":
                    options.MixedClients = Ints();
                    break;
                case "--idle-sessions":
                    options.IdleSessions = Ints();
                    break;
                case "--append-messages":
                    options.AppendMessages = Int();
                    break;
                case "--big-mailbox":
                    options.BigMailbox = Int();
                    break;
                case "--work":
                    options.WorkParent = Value();
                    break;
                case "--rampart-set":
                    var setting = Value().Split('=', 2);
                    options.RampartSettings[setting[0]] = setting.Length == 2 ? setting[1] : throw new ArgumentException("--rampart-set needs KEY=VALUE");
                    break;
                case "--keep":
                    options.Keep = true;
                    break;
                case "--dovecot-scheme":
                    options.DovecotScheme = Value();
                    break;
                case "--seed":
                    options.Seed = Int();
                    break;
                case "--help" or "-h":
                    Console.WriteLine("""
                        Rampart.Bench.Protocols: the same IMAP and POP3 load against rampart serve and Dovecot, over TLS on loopback.
                          --quick                  small sizes (under two minutes)
                          --scenarios LIST         pop3,imap-mixed,imap-idle,imap-append,imap-fetch,imap-search,imap-select,lmtp (default: all)
                          --rampart-only           do not start Dovecot
                          --pop3-messages N        maildrop size (200; quick 50)
                          --pop3-sessions N        sessions per client count (40; quick 10), bounded by --duration
                          --pop3-clients LIST      concurrent POP3 clients, and LMTP connections (1,8)
                          --duration S             time bound of a timed run (20; quick 4)
                          --mixed-clients LIST     IMAP mixed-load clients (10,50,200; quick 10,50)
                          --idle-sessions LIST     sessions in IDLE (1000; quick 100)
                          --append-messages N      messages appended (10000; quick 300)
                          --big-mailbox N          large mailbox for FETCH/SEARCH/SELECT (20000; quick 1000)
                          --work DIR               where the working folder is created (temp); --keep keeps it
                          --seed N                 corpus seed (20240108)
                          --rampart-set KEY=VALUE  a Rampart setting for the run, e.g. Monitoring:Enabled=false (repeatable)
                          --dovecot-scheme NAME    Dovecot's password hash (ARGON2ID, as Rampart; or SHA512-CRYPT)
                        """);
                    return null;
                default:
                    throw new ArgumentException("unknown option " + args[i]);
            }
        }

        return options;
    }
}
