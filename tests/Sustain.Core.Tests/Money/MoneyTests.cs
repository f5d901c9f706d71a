using CsCheck;

// Not Sustain.Core.Tests.Money: a namespace of that name would hide the Money type from every test.
namespace Sustain.Core.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData("10000.00", "USD", 1_000_000)]
    [InlineData("10000", "USD", 1_000_000)]
    [InlineData("0.5", "USD", 50)]
    [InlineData("0.05", "EUR", 5)]
    [InlineData("1500", "JPY", 1_500)]
    [InlineData("0", "KRW", 0)]
    [InlineData("1.125", "KWD", 1_125)]
    [InlineData("1.1", "BHD", 1_100)]
    [InlineData(" 7.25 ", "GBP", 725)]
    [InlineData("0012.30", "CHF", 1_230)]
    [InlineData("92233720368547758.07", "USD", long.MaxValue)]
    public void Parses_a_decimal_amount_exactly_into_minor_units(string amount, string currency, long minor)
    {
        Assert.Equal(new Money(minor, Currency.Find(currency)), Money.Parse(amount, currency));
    }

    [Theory]
    [InlineData("1.001", "USD", "'1.001' has 3 decimal places, but USD has 2")]
    [InlineData("1500.5", "JPY", "'1500.5' has decimals, but JPY has no minor unit")]
    [InlineData("1500.0", "JPY", "'1500.0' has decimals, but JPY has no minor unit")]
    [InlineData("1.0001", "KWD", "'1.0001' has 4 decimal places, but KWD has 3")]
    [InlineData("-5.00", "USD", "'-5.00' is negative; an amount must be zero or more")]
    [InlineData("92233720368547758.08", "USD", "'92233720368547758.08' USD is too large (at most USD 92,233,720,368,547,758.07)")]
    [InlineData("9223372036854775808", "JPY", "'9223372036854775808' JPY is too large (at most JPY 9,223,372,036,854,775,807)")]
    [InlineData("1,000.00", "USD", "'1,000.00' is not a decimal amount (digits, optionally a point and decimals, such as 1500 or 1500.00)")]
    [InlineData("1e3", "USD", "'1e3' is not a decimal amount (digits, optionally a point and decimals, such as 1500 or 1500.00)")]
    [InlineData(".5", "USD", "'.5' is not a decimal amount (digits, optionally a point and decimals, such as 1500 or 1500.00)")]
    [InlineData("5.", "USD", "'5.' is not a decimal amount (digits, optionally a point and decimals, such as 1500 or 1500.00)")]
    [InlineData("+5", "USD", "'+5' is not a decimal amount (digits, optionally a point and decimals, such as 1500 or 1500.00)")]
    [InlineData("٣", "USD", "'٣' is not a decimal amount (digits, optionally a point and decimals, such as 1500 or 1500.00)")]
    [InlineData("", "USD", "an amount is required")]
    [InlineData("5", "usd", "'usd' is not an ISO 4217 currency code Sustain knows (three upper-case letters, such as USD, EUR or JPY)")]
    [InlineData("5", "XYZ", "'XYZ' is not an ISO 4217 currency code Sustain knows (three upper-case letters, such as USD, EUR or JPY)")]
    public void Refuses_an_amount_it_cannot_read_exactly_and_says_why(string amount, string currency, string error)
    {
        Assert.False(Money.TryParse(amount, currency, out _, out var message));
        Assert.Equal(error, message);
        Assert.Equal(error, Assert.Throws<FormatException>(() => Money.Parse(amount, currency)).Message);
    }

    [Theory]
    [InlineData(124_000, "USD", "USD 1,240.00")]
    [InlineData(5_000, "JPY", "JPY 5,000")]
    [InlineData(125, "KWD", "KWD 0.125")]
    [InlineData(5, "EUR", "EUR 0.05")]
    [InlineData(0, "GBP", "GBP 0.00")]
    [InlineData(-123_456_789, "USD", "USD -1,234,567.89")]
    [InlineData(999, "JPY", "JPY 999")]
    [InlineData(1_000_000, "KRW", "KRW 1,000,000")]
    [InlineData(long.MinValue, "USD", "USD -92,233,720,368,547,758.08")]
    public void Formats_with_the_code_grouped_thousands_and_the_currencys_decimals(long minor, string currency, string text)
    {
        Assert.Equal(text, new Money(minor, Currency.Find(currency)).ToString());
    }

    [Fact]
    public void The_currency_table_knows_each_minor_unit()
    {
        Assert.Equal(2, Currency.USD.Exponent);
        Assert.Equal(2, Currency.EUR.Exponent);
        Assert.Equal(2, Currency.GBP.Exponent);
        foreach (var code in new[] { "JPY", "KRW", "CLP", "VND", "ISK" })
            Assert.Equal(0, Currency.Find(code).Exponent);
        foreach (var code in new[] { "BHD", "KWD", "JOD", "OMR", "TND" })
            Assert.Equal(3, Currency.Find(code).Exponent);
        Assert.Equal(1_000, Currency.KWD.MinorPerMajor);
        Assert.Equal(1, Currency.JPY.MinorPerMajor);
        Assert.All(Currency.All, c => Assert.Matches("^[A-Z]{3}$", c.Code));
        Assert.False(Currency.TryFind("ABC", out _));
    }

    [Fact]
    public void Amounts_in_different_currencies_are_never_added_or_compared()
    {
        var usd = new Money(100, Currency.USD);
        var eur = new Money(100, Currency.EUR);

        Assert.Throws<InvalidOperationException>(() => usd + eur);
        Assert.Throws<InvalidOperationException>(() => usd < eur);
        Assert.NotEqual(usd, eur);
    }

    [Fact]
    public void Arithmetic_in_one_currency_is_exact_and_refuses_to_overflow()
    {
        var a = new Money(1_05, Currency.USD);

        Assert.Equal(new Money(3_15, Currency.USD), a + a + a);
        Assert.Equal(new Money(-1_05, Currency.USD), Money.Zero(Currency.USD) - a);
        Assert.True(a > Money.Zero(Currency.USD));
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue, Currency.USD) + a);
        Assert.Throws<OverflowException>(() => -new Money(long.MinValue, Currency.USD));
    }

    [Fact]
    public void Any_non_negative_amount_reads_back_from_its_amount_string()
    {
        var currencies = Currency.All.ToArray();
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Int[0, currencies.Length - 1]).Sample((minor, c) =>
        {
            var money = new Money(minor, currencies[c]);
            Assert.Equal(money, Money.Parse(money.ToAmountString(), money.Currency));
        });
    }

    [Fact]
    public void Formatting_shows_exactly_the_currencys_decimal_places_and_reads_back_without_its_separators()
    {
        var currencies = Currency.All.ToArray();
        Gen.Select(Gen.Long[long.MinValue + 1, long.MaxValue], Gen.Int[0, currencies.Length - 1]).Sample((minor, c) =>
        {
            var money = new Money(minor, currencies[c]);
            var text = money.ToString();
            var point = text.IndexOf('.', StringComparison.Ordinal);
            Assert.Equal(money.Currency.Exponent, point < 0 ? 0 : text.Length - point - 1);
            Assert.StartsWith(money.Currency.Code + " ", text, StringComparison.Ordinal);
            var amount = text[4..].Replace(",", "", StringComparison.Ordinal);
            var magnitude = Money.Parse(amount.TrimStart('-'), money.Currency).Minor;
            Assert.Equal(minor, amount.StartsWith('-') ? -magnitude : magnitude);
        });
    }
}
