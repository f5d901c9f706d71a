using System.Text;
using CsCheck;
using Sustain.Core.Sboms;

namespace Sustain.Core.Tests.Sboms;

public class SbomComponentDetailsTests
{
    private static readonly Gen<string> HashContent = Gen.OneOf(
        Gen.Byte.Array[0, 70].Select(Convert.ToHexStringLower),
        Gen.Byte.Array[0, 70].Select(Convert.ToHexString),
        Gen.Char["0123456789abcdefABCDEF"].Array[0, 140].Select(c => new string(c)),
        Gen.String[0, 200]);

    [Fact]
    public void Gives_back_each_hash_exactly_as_written_whether_kept_as_bytes_or_as_text()
    {
        Gen.Select(HashContent.Array[1, 6], Gen.Bool).Sample((contents, asUtf8) =>
        {
            var details = new SbomComponentDetails();
            foreach (var content in contents)
            {
                if (asUtf8)
                    details.AddHash("SHA-256", Encoding.UTF8.GetBytes(content));
                else
                    details.AddHash("SHA-256", content.AsSpan());
            }

            var hashes = details.Hashes(0, contents.Length);

            Assert.Equal(contents.Select(c => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(c))), hashes.Select(h => h.Value));
            Assert.All(hashes, h => Assert.Equal("SHA-256", h.Algorithm));
        });
    }

    [Fact]
    public void Keeps_text_of_any_length_and_script_as_it_was_given()
    {
        var text = Gen.OneOf(Gen.String[0, 100], Gen.String.AlphaNumeric, Gen.Char.Array[40_000, 70_000].Select(c => new string(c)));
        text.Array[1, 40].Sample(texts =>
        {
            var store = new Utf8TextStore();
            var kept = texts.Select(t => store.Add(t.AsSpan())).ToArray();

            Assert.Equal(texts.Select(t => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(t))), kept.Select(k => store.Text(k)));
        }, iter: 30);
    }

    [Fact]
    public void A_paged_list_holds_what_was_added_in_order_across_pages()
    {
        Gen.Int[0, 40_000].Sample(count =>
        {
            var list = new PagedList<int>();
            for (var i = 0; i < count; i++)
                Assert.Equal(i, list.Add(i * 7));

            Assert.Equal(count, list.Count);
            Assert.Equal(Enumerable.Range(0, count).Select(i => i * 7), list);
            list.Truncate(count / 2);
            Assert.Equal(Enumerable.Range(0, count / 2).Select(i => i * 7), list);
        }, iter: 20);
    }
}
