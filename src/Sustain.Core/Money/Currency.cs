using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

// Money and Currency live in Sustain.Core itself, not Sustain.Core.Money: a namespace named Money
// would hide the Money type from every other namespace under Sustain.Core (CS0118).
namespace Sustain.Core;

/// <summary>
/// An ISO 4217 currency and its minor-unit exponent: how many decimal places its amounts have
/// (USD 2, JPY 0, KWD 3). Only currencies in the table exist; an unknown code is refused.
/// </summary>
public readonly record struct Currency
{
    private Currency(string code, int exponent)
    {
        Code = code;
        Exponent = exponent;
    }

    public string Code { get; }

    /// <summary>Decimal places of the minor unit: 2 for cents, 0 for currencies without a minor unit.</summary>
    public int Exponent { get; }

    /// <summary>Minor units in one major unit: 100 for USD, 1 for JPY, 1000 for KWD.</summary>
    public long MinorPerMajor => PowersOfTen[Exponent];

    public static Currency USD => Find("USD");

    public static Currency EUR => Find("EUR");

    public static Currency GBP => Find("GBP");

    public static Currency JPY => Find("JPY");

    public static Currency KWD => Find("KWD");

    public static IEnumerable<Currency> All => Table.Values.OrderBy(c => c.Code, StringComparer.Ordinal);

    /// <summary>The currency with this ISO 4217 code (upper case, three letters).</summary>
    public static Currency Find(string code) =>
        TryFind(code, out var currency) ? currency : throw new ArgumentException($"'{code}' is not an ISO 4217 currency Sustain knows", nameof(code));

    public static bool TryFind(string? code, [NotNullWhen(true)] out Currency currency)
    {
        if (code is not null && Table.TryGetValue(code, out currency))
            return true;
        currency = default;
        return false;
    }

    public override string ToString() => Code ?? "";

    internal static readonly long[] PowersOfTen = [1, 10, 100, 1_000, 10_000];

    // ISO 4217 (list one, 2024): the exponent of every currency that is not 2 is listed by name below.
    private static readonly string[] ZeroDecimal =
        ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"];

    private static readonly string[] ThreeDecimal = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

    private static readonly string[] FourDecimal = ["CLF", "UYW"];

    private static readonly string[] TwoDecimal =
    [
        "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD",
        "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CNY", "COP", "CRC",
        "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
        "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD",
        "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA",
        "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO",
        "NOK", "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR",
        "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
        "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "UYU", "UZS", "VES", "WST",
        "XCD", "YER", "ZAR", "ZMW", "ZWG",
    ];

    private static readonly FrozenDictionary<string, Currency> Table = BuildTable();

    private static FrozenDictionary<string, Currency> BuildTable()
    {
        var table = new Dictionary<string, Currency>(StringComparer.Ordinal);
        foreach (var (codes, exponent) in new[] { (TwoDecimal, 2), (ZeroDecimal, 0), (ThreeDecimal, 3), (FourDecimal, 4) })
        {
            foreach (var code in codes)
                table.Add(code, new Currency(code, exponent));
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
