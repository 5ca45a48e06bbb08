using System.Text.RegularExpressions;

namespace Rampart.Server.Tests.Meta;

/// <summary>STYLE.md: rfc/index.md lists every RFC the code cites.</summary>
public partial class RfcIndexTests
{
    [Fact]
    public void Every_rfc_cited_in_src_is_in_the_index()
    {
        var root = SourceTree.Root();
        var index = File.ReadAllText(Path.Combine(root, "rfc", "index.md"));
        var listed = RfcNumber().Matches(index).Select(m => m.Groups[1].Value).ToHashSet();
        var cited = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => RfcNumber().Matches(File.ReadAllText(f)).Select(m => (Rfc: m.Groups[1].Value, File: Path.GetRelativePath(root, f))))
            .ToList();
        Assert.NotEmpty(cited);
        var missing = cited.Where(c => !listed.Contains(c.Rfc)).Select(c => $"RFC {c.Rfc} ({c.File})").Distinct().ToList();
        Assert.True(missing.Count == 0, "cited but not in rfc/index.md: " + string.Join(", ", missing));
    }

    [GeneratedRegex(@"\bRFC ?(\d{3,4})\b")]
    private static partial Regex RfcNumber();
}
