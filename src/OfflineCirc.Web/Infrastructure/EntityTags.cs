using System.Security.Cryptography;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>The HTTP entity tags the app sends: a quoted digest of what the answer holds, so equal contents get equal tags.</summary>
public static class EntityTags
{
    /// <summary>The tag of a body: the first 32 hex digits of its SHA-256, quoted.</summary>
    public static string Of(ReadOnlySpan<byte> content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
}
