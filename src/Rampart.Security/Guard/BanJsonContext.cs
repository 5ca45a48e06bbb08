using System.Text.Json.Serialization;

namespace Rampart.Security.Guard;

/// <summary>Source-generated JSON for the ban file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<BanEntry>))]
internal sealed partial class BanJsonContext : JsonSerializerContext;
