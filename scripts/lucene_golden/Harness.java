// Runs text through real Lucene analysis chains, built the way Elasticsearch builds its
// custom analyzers from index settings, and prints the tokens.  Used by generate.py (see
// README.md there); needs the Lucene 9 classes on the class path, e.g. Anserini's fat jar:
//
//     java -cp anserini-0.39.0-fatjar.jar Harness.java < requests.txt > tokens.jsonl
//
// Input, one request per line, fields separated by a TAB:
//
//     V                                     print the Lucene version (one line)
//     D  <name>  <tokenizer>  <filters>     define an analyzer
//     T  <name>  <text as UTF-16BE hex>     analyse a text, print one line of output
//
// <tokenizer> is "standard/<max_token_length>" or "whitespace/<max_token_length>";
// <filters> is a comma-separated list (may be empty) of Elasticsearch filter names:
// "lowercase", "asciifolding" or "stemmer/<language>" with an Elasticsearch stemmer
// language (porter2, latvian, finnish, estonian, danish, swedish, english).  The text is
// hex-encoded UTF-16 so that any Java string, with NUL, newlines, tabs or lone
// surrogates, gets through unchanged.
//
// Output, one line per T request, in order: a JSON array of the tokens' terms, every
// character outside printable ASCII written as a JSON "backslash-u" escape of each UTF-16 unit.

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.lv.LatvianStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.tartarus.snowball.ext.DanishStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.EstonianStemmer;
import org.tartarus.snowball.ext.FinnishStemmer;
import org.tartarus.snowball.ext.SwedishStemmer;

public class Harness {

  /** An analyzer as Elasticsearch's CustomAnalyzer builds it: one tokenizer, then filters. */
  static final class Chain extends Analyzer {
    final String tokenizer;
    final String[] filters;

    Chain(String tokenizer, String filters) {
      this.tokenizer = tokenizer;
      this.filters = filters.isEmpty() ? new String[0] : filters.split(",");
      for (String filter : this.filters) {
        filter(filter, new StandardTokenizer()); // fail early on an unknown filter
      }
      createTokenizer(tokenizer);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      Tokenizer source = createTokenizer(tokenizer);
      TokenStream stream = source;
      for (String filter : filters) {
        stream = filter(filter, stream);
      }
      return new TokenStreamComponents(source, stream);
    }
  }

  // Elasticsearch's StandardTokenizerFactory and WhitespaceTokenizerFactory (rule "java").
  static Tokenizer createTokenizer(String spec) {
    String[] parts = spec.split("/", 2);
    int maxTokenLength = Integer.parseInt(parts[1]);
    switch (parts[0]) {
      case "standard":
        StandardTokenizer standard = new StandardTokenizer();
        standard.setMaxTokenLength(maxTokenLength);
        return standard;
      case "whitespace":
        return new WhitespaceTokenizer(
            TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength);
      default:
        throw new IllegalArgumentException("unknown tokenizer " + spec);
    }
  }

  // Elasticsearch's "lowercase" and "asciifolding" filters (preserve_original false) and
  // its StemmerTokenFilterFactory for the languages this project uses.
  static TokenStream filter(String spec, TokenStream in) {
    switch (spec) {
      case "lowercase":
        return new LowerCaseFilter(in);
      case "asciifolding":
        return new ASCIIFoldingFilter(in, false);
      case "stemmer/porter2":
        return new SnowballFilter(in, new EnglishStemmer());
      case "stemmer/english":
        return new PorterStemFilter(in);
      case "stemmer/latvian":
        return new LatvianStemFilter(in);
      case "stemmer/finnish":
        return new SnowballFilter(in, new FinnishStemmer());
      case "stemmer/estonian":
        return new SnowballFilter(in, new EstonianStemmer());
      case "stemmer/danish":
        return new SnowballFilter(in, new DanishStemmer());
      case "stemmer/swedish":
        return new SnowballFilter(in, new SwedishStemmer());
      default:
        throw new IllegalArgumentException("unknown filter " + spec);
    }
  }

  static String decodeUtf16Hex(String hex) {
    if (hex.length() % 4 != 0) {
      throw new IllegalArgumentException("text is not UTF-16 hex: " + hex);
    }
    char[] chars = new char[hex.length() / 4];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) Integer.parseInt(hex.substring(4 * i, 4 * i + 4), 16);
    }
    return new String(chars);
  }

  static void appendJsonString(StringBuilder out, CharSequence s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    out.append('"');
  }

  public static void main(String[] args) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    BufferedWriter out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    Map<String, Analyzer> analyzers = new HashMap<>();
    StringBuilder line = new StringBuilder();
    String request;
    int lineNumber = 0;
    while ((request = in.readLine()) != null) {
      lineNumber++;
      if (request.isEmpty()) {
        continue;
      }
      String[] fields = request.split("\t", -1);
      try {
        switch (fields[0]) {
          case "V":
            out.write(org.apache.lucene.util.Version.LATEST.toString());
            out.write('\n');
            break;
          case "D":
            analyzers.put(fields[1], new Chain(fields[2], fields[3]));
            break;
          case "T":
            Analyzer analyzer = analyzers.get(fields[1]);
            if (analyzer == null) {
              throw new IllegalArgumentException("undefined analyzer " + fields[1]);
            }
            line.setLength(0);
            line.append('[');
            try (TokenStream stream = analyzer.tokenStream("f", decodeUtf16Hex(fields[2]))) {
              CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
              stream.reset();
              boolean first = true;
              while (stream.incrementToken()) {
                if (!first) {
                  line.append(',');
                }
                first = false;
                appendJsonString(line, term);
              }
              stream.end();
            }
            line.append("]\n");
            out.write(line.toString());
            break;
          default:
            throw new IllegalArgumentException("unknown request " + fields[0]);
        }
      } catch (RuntimeException e) {
        System.err.println("line " + lineNumber + ": " + e);
        System.exit(2);
      }
    }
    out.flush();
  }
}
