using System.Globalization;

namespace Rampart.Bench.Delivery;

/// <summary>Command-line options of the delivery benchmark.</summary>
/// <param name="Messages">Messages delivered per scenario (<c>--messages</c>, default 10,000; 500 with <c>--quick</c>).</param>
/// <param name="Writers">Concurrent writer counts to measure (<c>--writers 1,8</c>).</param>
/// <param name="DataParent">Where the benchmark's working folder is created (<c>--data</c>, default the temp folder).</param>
/// <param name="Keep">Keep the working folder afterwards (<c>--keep</c>).</param>
/// <param name="Seed">Corpus seed (<c>--seed</c>, default 20240108).</param>
/// <param name="ProbeOperations">Operations per fsync-ceiling probe (<c>--probe-ops</c>, default 2,000; 200 with <c>--quick</c>).</param>
/// <param name="Durable">fsync on (<c>--no-fsync</c> turns it off, for comparison only).</param>
internal sealed record BenchOptions(int Messages, int[] Writers, string DataParent, bool Keep, int Seed, int ProbeOperations, bool Durable)
{
    public const string Usage = """
        Rampart delivery benchmark: deliveries per second through the store, against the disk's own fsync rate.

        usage: dotnet run -c Release --project bench/Rampart.Bench.Delivery -- [options]
          --messages N      messages per scenario (default 10000)
          --writers LIST    concurrent writers to measure, comma-separated (default 1,8)
          --data DIR        create the working folder under DIR (default: the temp folder); it is deleted afterwards
          --keep            keep the working folder
          --seed N          corpus seed (default 20240108)
          --probe-ops N     operations per fsync-ceiling probe (default 2000)
          --no-fsync        store without fsync, for comparison only (never how Rampart runs)
          --quick           500 messages and 200 probe operations: checks the benchmark still runs
        """;

    /// <summary>Parses the arguments; null (after printing why) when they are wrong or help was asked for.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        int? messages = null, probe = null;
        var writers = new[] { 1, 8 };
        var data = Path.GetTempPath();
        var keep = false;
        var quick = false;
        var durable = true;
        var seed = 20240108;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--messages":
                        messages = Positive(args[++i]);
                        break;
                    case "--writers":
                        writers = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Positive)];
                        break;
                    case "--data":
                        data = args[++i];
                        break;
                    case "--keep":
                        keep = true;
                        break;
                    case "--seed":
                        seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        break;
                    case "--probe-ops":
                        probe = Positive(args[++i]);
                        break;
                    case "--no-fsync":
                        durable = false;
                        break;
                    case "--quick":
                        quick = true;
                        break;
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return null;
                    default:
                        throw new FormatException($"unknown option {args[i]}");
                }
            }
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
        {
            Console.Error.WriteLine($"rampart-bench: {(e is IndexOutOfRangeException ? "an option lacks its value" : e.Message)}");
            Console.Error.WriteLine(Usage);
            return null;
        }

        return new BenchOptions(messages ?? (quick ? 500 : 10_000), writers, data, keep, seed, probe ?? (quick ? 200 : 2000), durable);
    }

    private static int Positive(string value)
    {
        var n = int.Parse(value, CultureInfo.InvariantCulture);
        return n > 0 ? n : throw new FormatException($"{value} is not a positive number");
    }
}
