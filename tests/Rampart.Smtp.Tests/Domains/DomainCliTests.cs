namespace Rampart.Smtp.Tests.Domains;

/// <summary><c>rampart domain add|list|remove</c> run as the real executable.</summary>
public sealed class DomainCliTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("rampart-domain-cli-").FullName;

    [Fact]
    public async Task Add_list_remove_with_IDN_printed_in_both_forms()
    {
        var (code, output, error) = await RampartProcess.RunAsync("", "domain", "add", "BÜCHER.example", "--data", data);
        Assert.True(code == 0, error);
        Assert.Contains("added: xn--bcher-kva.example (bücher.example)", output, StringComparison.Ordinal);

        (code, output, _) = await RampartProcess.RunAsync("", "domain", "add", "example.com", "--data", data);
        Assert.Equal(0, code);
        (code, output, _) = await RampartProcess.RunAsync("", "domain", "add", "EXAMPLE.com", "--data", data);
        Assert.Equal(0, code);
        Assert.Contains("already hosted: example.com", output, StringComparison.Ordinal);

        (code, output, _) = await RampartProcess.RunAsync("", "domain", "list", "--data", data);
        Assert.Equal(0, code);
        Assert.Equal(["example.com", "xn--bcher-kva.example (bücher.example)"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        (code, output, _) = await RampartProcess.RunAsync("", "domain", "remove", "bücher.example", "--data", data);
        Assert.Equal(0, code);
        Assert.Contains("removed: xn--bcher-kva.example", output, StringComparison.Ordinal);
        (code, _, error) = await RampartProcess.RunAsync("", "domain", "remove", "bücher.example", "--data", data);
        Assert.Equal(67, code);
        Assert.Contains("not hosted", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_name_is_a_usage_error()
    {
        var (code, _, error) = await RampartProcess.RunAsync("", "domain", "add", "no_underscores.example", "--data", data);
        Assert.Equal(64, code);
        Assert.Contains("not a valid domain name", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "domains.json")));
    }

    [Fact]
    public async Task A_damaged_file_is_reported_and_left_alone()
    {
        var file = Path.Combine(data, "domains.json");
        await File.WriteAllTextAsync(file, "{ damaged");
        var (code, _, error) = await RampartProcess.RunAsync("", "domain", "add", "example.com", "--data", data);
        Assert.Equal(65, code);
        Assert.Contains("damaged", error, StringComparison.Ordinal);
        (code, _, _) = await RampartProcess.RunAsync("", "domain", "list", "--data", data);
        Assert.Equal(65, code);
        Assert.Equal("{ damaged", await File.ReadAllTextAsync(file));
    }

    public void Dispose() => Directory.Delete(data, recursive: true);
}
