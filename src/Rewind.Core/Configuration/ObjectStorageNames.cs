using System.Text.RegularExpressions;

namespace Rewind.Core.Configuration;

/// <summary>What a bucket name and a key prefix of <c>s3://BUCKET/PREFIX</c> may hold.</summary>
public static partial class ObjectStorageNames
{
    /// <summary>S3's rules for a bucket name: 3–63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.</summary>
    public static bool IsBucket(string bucket) => Bucket().IsMatch(bucket);

    /// <summary>A prefix of plain '/'-separated parts (letters, digits, '.', '_', '-'), no empty, '.' or '..' part; may be empty.</summary>
    public static bool IsPrefix(string prefix) =>
        prefix.Length == 0 || prefix.Split('/').All(part => part is not ("" or "." or "..") && PrefixPart().IsMatch(part));

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Bucket();

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PrefixPart();
}
