using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Sustain.Core.Purls;

/// <summary>A package URL's qualifiers: read-only, sorted by key (ordinal), looked up by binary search.</summary>
internal sealed class PurlQualifiers : IReadOnlyDictionary<string, string>
{
    private readonly KeyValuePair<string, string>[] _pairs;

    /// <param name="pairs">Distinct keys, already sorted; the array is taken over, not copied.</param>
    private PurlQualifiers(KeyValuePair<string, string>[] pairs) => _pairs = pairs;

    public int Count => _pairs.Length;

    public IEnumerable<string> Keys => _pairs.Select(p => p.Key);

    public IEnumerable<string> Values => _pairs.Select(p => p.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No qualifier '{key}'.");

    /// <summary>Sorts <paramref name="pairs"/> in place by key and wraps them; null when there are none; fails on a repeated key.</summary>
    public static bool TryCreate(KeyValuePair<string, string>[] pairs, out PurlQualifiers? qualifiers, [NotNullWhen(false)] out string? duplicateKey)
    {
        qualifiers = null;
        duplicateKey = null;
        if (pairs.Length == 0)
            return true;
        if (pairs.Length > 1)
        {
            Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            for (var i = 1; i < pairs.Length; i++)
            {
                if (string.Equals(pairs[i - 1].Key, pairs[i].Key, StringComparison.Ordinal))
                {
                    duplicateKey = pairs[i].Key;
                    return false;
                }
            }
        }

        qualifiers = new PurlQualifiers(pairs);
        return true;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _pairs[index].Value : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        int low = 0, high = _pairs.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = string.CompareOrdinal(_pairs[middle].Key, key);
            if (order == 0)
                return middle;
            if (order < 0)
                low = middle + 1;
            else
                high = middle - 1;
        }

        return -1;
    }
}
