using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Sustain.Core;

/// <summary>
/// An amount of money: whole minor units (cents, yen, fils) of one ISO 4217 currency, as Stripe
/// types it. Never a floating-point number; see docs/adr/ADR-001-money-as-long-minor-units.md.
/// Arithmetic is checked: an overflow throws rather than wrapping.
/// </summary>
public readonly record struct Money(long Minor, Currency Currency) : IComparable<Money>
{
    public static Money Zero(Currency currency) => new(0, currency);

    public bool IsZero => Minor == 0;

    public static Money operator +(Money left, Money right) => new(checked(left.Minor + SameCurrency(left, right).Minor), left.Currency);

    public static Money operator -(Money left, Money right) => new(checked(left.Minor - SameCurrency(left, right).Minor), left.Currency);

    public static Money operator -(Money value) => new(checked(-value.Minor), value.Currency);

    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    public Money Add(Money other) => this + other;

    public Money Subtract(Money other) => this - other;

    public Money Negate() => -this;

    public int CompareTo(Money other) => Minor.CompareTo(SameCurrency(this, other).Minor);

    /// <summary>
    /// Reads a non-negative decimal amount in major units ("10000.00", "1500", "0.5") exactly into
    /// minor units of <paramref name="currency"/>. No sign, no thousands separators, no exponent, and
    /// no more decimal places than the currency has (JPY takes none).
    /// </summary>
    public static Money Parse(string amount, Currency currency) =>
        TryParse(amount, currency, out var money, out var error) ? money : throw new FormatException(error);

    /// <inheritdoc cref="Parse(string, Currency)"/>
    public static Money Parse(string amount, string currencyCode) =>
        TryParse(amount, currencyCode, out var money, out var error) ? money : throw new FormatException(error);

    public static bool TryParse(string? amount, string? currencyCode, out Money money, [NotNullWhen(false)] out string? error)
    {
        if (!Currency.TryFind(currencyCode, out var currency))
        {
            money = default;
            error = $"'{currencyCode}' is not an ISO 4217 currency code Sustain knows (three upper-case letters, such as USD, EUR or JPY)";
            return false;
        }

        return TryParse(amount, currency, out money, out error);
    }

    public static bool TryParse(string? amount, Currency currency, out Money money, [NotNullWhen(false)] out string? error)
    {
        money = default;
        if (currency.Code is null)
        {
            error = "no currency given";
            return false;
        }

        var text = amount?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "an amount is required";
            return false;
        }

        if (text[0] == '-')
        {
            error = $"'{text}' is negative; an amount must be zero or more";
            return false;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        if (whole.Length == 0 || (point >= 0 && fraction.Length == 0) || !AllDigits(whole) || !AllDigits(fraction))
        {
            error = $"'{text}' is not a decimal amount (digits, optionally a point and decimals, such as 1500 or 1500.00)";
            return false;
        }

        if (fraction.Length > currency.Exponent)
        {
            error = currency.Exponent == 0
                ? $"'{text}' has decimals, but {currency.Code} has no minor unit"
                : $"'{text}' has {fraction.Length} decimal places, but {currency.Code} has {currency.Exponent}";
            return false;
        }

        long minor = 0;
        try
        {
            checked
            {
                foreach (var c in whole)
                    minor = minor * 10 + (c - '0');
                minor *= currency.MinorPerMajor;
                var fractionMinor = 0L;
                foreach (var c in fraction)
                    fractionMinor = fractionMinor * 10 + (c - '0');
                minor += fractionMinor * Currency.PowersOfTen[currency.Exponent - fraction.Length];
            }
        }
        catch (OverflowException)
        {
            error = $"'{text}' {currency.Code} is too large (at most {Format(new Money(long.MaxValue, currency))})";
            return false;
        }

        money = new Money(minor, currency);
        error = null;
        return true;
    }

    /// <summary>The amount in major units without currency or separators, as <see cref="Parse(string, Currency)"/> reads it: "1240.00", "5000".</summary>
    public string ToAmountString() => Write(grouped: false);

    /// <summary>"USD 1,240.00", "JPY 5,000", "KWD -0.125": code, then the amount with thousands grouped.</summary>
    public override string ToString() => Format(this);

    private static string Format(Money money) => $"{money.Currency.Code} {money.Write(grouped: true)}";

    private string Write(bool grouped)
    {
        var exponent = Currency.Exponent;
        // The magnitude as an unsigned number, so long.MinValue formats too.
        var magnitude = Minor < 0 ? (ulong)-(Minor + 1) + 1 : (ulong)Minor;
        var digits = magnitude.ToString(CultureInfo.InvariantCulture).PadLeft(exponent + 1, '0');
        var whole = digits[..^exponent];
        var builder = new StringBuilder(digits.Length + 8);
        if (Minor < 0)
            builder.Append('-');
        for (var i = 0; i < whole.Length; i++)
        {
            if (grouped && i > 0 && (whole.Length - i) % 3 == 0)
                builder.Append(',');
            builder.Append(whole[i]);
        }

        if (exponent > 0)
            builder.Append('.').Append(digits, digits.Length - exponent, exponent);
        return builder.ToString();
    }

    private static bool AllDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }

        return true;
    }

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? right
            : throw new InvalidOperationException($"cannot combine {left.Currency.Code} and {right.Currency.Code}: amounts in different currencies are never added or compared");
}
