using System.Collections;
using System.Text;
using Rampart.Store.Mime;
using static Rampart.Store.Tests.Mime.MimeSamples;

namespace Rampart.Store.Tests.Mime;

public class MessageMetadataSerializerTests
{
    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var original = Analyze(Nested);
        var copy = MessageMetadataSerializer.Deserialize(MessageMetadataSerializer.Serialize(original));
        AssertDeepEqual(original, copy, "metadata");

        // The comparer is not blind: one changed leaf value is found.
        var changed = copy with { Body = copy.Body with { Parts = [.. copy.Body.Parts.Take(2), copy.Body.Parts[2] with { Lines = 1 }] } };
        Assert.ThrowsAny<Exception>(() => AssertDeepEqual(original, changed, "metadata"));
    }

    [Fact]
    public void Round_trip_keeps_limits_and_nulls()
    {
        var original = Analyze("To: " + string.Join(", ", Enumerable.Range(0, 20).Select(i => $"u{i}@example.com")) + "\r\n\r\n",
            new MimeLimits { MaxAddressesPerHeader = 5 });
        Assert.Equal("addresses>5", original.LimitHit);
        var copy = MessageMetadataSerializer.Deserialize(MessageMetadataSerializer.Serialize(original));
        AssertDeepEqual(original, copy, "metadata");
    }

    [Fact]
    public void Damaged_bytes_are_refused_with_invalid_data()
    {
        Assert.Throws<InvalidDataException>(() => MessageMetadataSerializer.Deserialize("{\"Envelope\":"u8));
        Assert.Throws<InvalidDataException>(() => MessageMetadataSerializer.Deserialize("null"u8));
        Assert.Throws<InvalidDataException>(() => MessageMetadataSerializer.Deserialize(Encoding.UTF8.GetBytes("[1,2]")));
    }

    /// <summary>Structural comparison: records property by property, lists element by element.</summary>
    internal static void AssertDeepEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: {expected ?? "null"} vs {actual ?? "null"}");
            return;
        }

        var type = expected.GetType();
        if (expected is string || type.IsPrimitive || expected is DateTimeOffset || type.IsEnum)
        {
            Assert.True(expected.Equals(actual), $"{path}: {expected} vs {actual}");
            if (expected is DateTimeOffset date)
            {
                Assert.Equal(date.Offset, ((DateTimeOffset)actual).Offset);
            }

            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            Assert.Equal(expected, actual);
            return;
        }

        if (expected is IEnumerable expectedItems)
        {
            var left = expectedItems.Cast<object?>().ToList();
            var right = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(left.Count == right.Count, $"{path}: {left.Count} vs {right.Count} items");
            for (int i = 0; i < left.Count; i++)
            {
                AssertDeepEqual(left[i], right[i], $"{path}[{i}]");
            }

            return;
        }

        Assert.Equal(type, actual.GetType());
        foreach (var property in type.GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
        {
            AssertDeepEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }
}
