using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace OfflineCirc.Core.Formats;

/// <summary>Writes JSON compactly and deterministically (for Koha payloads and for content keys).</summary>
internal static class CompactJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        // Letters of every script stay readable; markup-sensitive characters are still escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>The element as written, without whitespace, keys in their original order.</summary>
    public static string Write(JsonElement element) => Build(w => element.WriteTo(w));

    /// <summary>The element with object keys sorted (ordinal, recursively) and no whitespace.</summary>
    public static string Canonical(JsonElement element) => Build(w => WriteCanonical(w, element));

    /// <summary>Whether JSON text holds the escape \u0000: the NUL character it stands for cannot be stored in PostgreSQL's text.</summary>
    public static bool HasNulEscape(string json)
    {
        for (var at = json.IndexOf("u0000", StringComparison.Ordinal); at >= 0; at = json.IndexOf("u0000", at + 1, StringComparison.Ordinal))
        {
            // The escape is a backslash before "u0000" that is not itself escaped: an odd run of backslashes.
            var slashes = 0;
            while (at - slashes - 1 >= 0 && json[at - slashes - 1] == '\\')
            {
                slashes++;
            }
            if (slashes % 2 == 1)
            {
                return true;
            }
        }
        return false;
    }

    public static string Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
