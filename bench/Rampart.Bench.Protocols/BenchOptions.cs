using System.Globalization;

namespace Rampart.Bench.Protocols;

/// <summary>Command-line options; every size has a full default and a <c>--quick</c> default (under two minutes).</summary>
internal sealed class BenchOptions
{
    public static readonly string[] AllScenarios = ["pop3", "imap-mixed", "imap-idle", "imap-append", "imap-fetch", "imap-search", "imap-select", "lmtp"];

    /// <summary>Account-security scenarios (issue 5): Rampart alone, each on its own server with default limits; not
    /// part of the default set (the brute-force one takes about four minutes by design).</summary>
    public static readonly string[] SecurityScenarios = ["login-cold", "login-warm", "bruteforce", "hammer"];

    /// <summary>Runs with <c>--ab</c> only: the mixed IMAP load against two Rampart servers at the same time.</summary>
    public const string AbScenario = "imap-mixed-ab";

    public bool Quick { get; private set; }

    public HashSet<string> Scenarios { get; private set; } = [.. AllScenarios];

    public bool RampartOnly { get; private set; }

    public int Pop3Messages { get; private set; } = 200;

    public int Pop3Sessions { get; private set; } = 40;

    public int[] Pop3Clients { get; private set; } = [1, 8];

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the one-client APPEND and POP3 runs load each server before their clock starts. A fresh
    /// .NET process runs its first seconds partly in unoptimised code while the JIT recompiles the hot methods
    /// (measured: about five seconds of appends before the rate settles), which a server that runs for days pays
    /// once; both servers get the same warm-up.</summary>
    public TimeSpan WarmUp { get; private set; } = TimeSpan.FromSeconds(5);

    public int[] MixedClients { get; private set; } = [10, 50, 200];

    public int[] IdleSessions { get; private set; } = [1000];

    public int AppendMessages { get; private set; } = 10_000;

    public int BigMailbox { get; private set; } = 20_000;

    public int RampartPortOffset { get; private set; } = 30_000;

    public int DovecotPortOffset { get; private set; } = 40_000;

    public string WorkParent { get; private set; } = Path.GetTempPath();

    public bool Keep { get; private set; }

    public int Seed { get; private set; } = 20240108;

    /// <summary>Concurrent clients of the login scenarios.</summary>
    public int[] LoginClients { get; private set; } = [1, 8];

    /// <summary>Wrong passwords the brute-force client sends at most (it stops at the ban).</summary>
    public int BruteForceTries { get; private set; } = 24;

    /// <summary>Tries of the client that repeats one wrong password.</summary>
    public int RepeatTries { get; private set; } = 8;

    /// <summary>Connections hammering wrong passwords at once.</summary>
    public int HammerConnections { get; private set; } = 500;

    /// <summary>Source addresses (127.0.0.0/8) the hammering connections are spread over, one run per count.</summary>
    public int[] HammerAddresses { get; private set; } = [250, 25];

    /// <summary>How long each hammer run lasts.</summary>
    public TimeSpan HammerDuration { get; private set; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra Rampart settings for the run (<c>--rampart-set Monitoring:Enabled=false</c>), passed as
    /// <c>RAMPART__</c> variables: to measure one setting's cost, e.g. monitoring on vs off.</summary>
    public Dictionary<string, string> RampartSettings { get; } = [];

    /// <summary>The B side of an A/B run (<c>--ab Monitoring:Enabled=false</c>): a second Rampart with this setting
    /// runs beside the first, and <c>imap-mixed-ab</c> loads both at once, so that both see the same machine load.</summary>
    public KeyValuePair<string, string>? AbSetting { get; private set; }

    /// <summary>Rounds of the A/B run; each gives one ratio, and the median is reported.</summary>
    public int AbRounds { get; private set; } = 5;

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
            options.WarmUp = TimeSpan.FromSeconds(1);
            options.MixedClients = [10, 50];
            options.IdleSessions = [100];
            options.AppendMessages = 300;
            options.BigMailbox = 1000;
            options.BruteForceTries = 8;
            options.RepeatTries = 4;
            options.HammerConnections = 50;
            options.HammerAddresses = [25];
            options.HammerDuration = TimeSpan.FromSeconds(10);
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
                    if (options.Scenarios.Except(AllScenarios).Except(SecurityScenarios).Except([AbScenario]).ToList() is { Count: > 0 } unknown)
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
                case "--warm-up":
                    options.WarmUp = TimeSpan.FromSeconds(int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture));
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
                case "--ab":
                    var ab = Value().Split('=', 2);
                    options.AbSetting = ab.Length == 2 ? new KeyValuePair<string, string>(ab[0], ab[1]) : throw new ArgumentException("--ab needs KEY=VALUE");
                    options.RampartOnly = true;
                    options.Scenarios = [AbScenario];
                    break;
                case "--ab-rounds":
                    options.AbRounds = Int();
                    break;
                case "--port-offset":
                    options.RampartPortOffset = Int();
                    break;
                case "--login-clients":
                    options.LoginClients = Ints();
                    break;
                case "--bruteforce-tries":
                    options.BruteForceTries = Int();
                    break;
                case "--repeat-tries":
                    options.RepeatTries = Int();
                    break;
                case "--hammer-connections":
                    options.HammerConnections = Int();
                    break;
                case "--hammer-addresses":
                    options.HammerAddresses = Ints();
                    break;
                case "--hammer-seconds":
                    options.HammerDuration = TimeSpan.FromSeconds(Int());
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
                                                   or the account-security ones (Rampart only): login-cold,login-warm,bruteforce,hammer
                          --rampart-only           do not start Dovecot
                          --pop3-messages N        maildrop size (200; quick 50)
                          --pop3-sessions N        sessions per client count (40; quick 10), bounded by --duration
                          --pop3-clients LIST      concurrent POP3 clients, and LMTP connections (1,8)
                          --duration S             time bound of a timed run (20; quick 4)
                          --warm-up S              untimed load before the one-client APPEND and POP3 runs (5; quick 1)
                          --mixed-clients LIST     IMAP mixed-load clients (10,50,200; quick 10,50)
                          --idle-sessions LIST     sessions in IDLE (1000; quick 100)
                          --append-messages N      messages appended (10000; quick 300)
                          --big-mailbox N          large mailbox for FETCH/SEARCH/SELECT (20000; quick 1000)
                          --work DIR               where the working folder is created (temp); --keep keeps it
                          --seed N                 corpus seed (20240108)
                          --ab KEY=VALUE           A/B: a second Rampart with this setting beside the first; both get the mixed IMAP
                                                   load at once (--mixed-clients each); CPU per 1,000 commands of each (Rampart only)
                          --ab-rounds N            rounds of the A/B run; the median ratio is reported (5)
                          --port-offset N          Rampart's listeners at N+993, N+995, …; security scenarios at N+100… (30000)
                          --login-clients LIST     clients of login-cold and login-warm (1,8)
                          --bruteforce-tries N     wrong passwords the brute-force client sends at most; it stops at the ban (24; quick 8)
                          --repeat-tries N         tries of the client repeating one wrong password (8; quick 4)
                          --hammer-connections N   connections hammering wrong passwords (500; quick 50)
                          --hammer-addresses LIST  source addresses in 127.0.0.0/8 they come from, a run per count (250,25; quick 25)
                          --hammer-seconds S       length of each hammer run (60; quick 10)
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
