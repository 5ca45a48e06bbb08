using System.Text.Json.Serialization;

namespace Rampart.Security.Policy;

/// <summary>Source-generated JSON for the policy's records.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
