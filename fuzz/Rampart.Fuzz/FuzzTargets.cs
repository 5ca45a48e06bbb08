using Rampart.Fuzz.Targets;

namespace Rampart.Fuzz;

/// <summary>Every fuzz target, by name. A new parser that reads network bytes gets its line here and a corpus folder.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new NetReaderTarget(),
        new Pop3CommandTarget(),
        new Pop3MessageTarget(),
        new SaslPlainTarget(),
        new SaslScramTarget(),
        new MimeTarget(),
        new ImapCommandTarget(),
    ];

    public static IFuzzTarget? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
