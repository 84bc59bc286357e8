package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import java.util.regex.Pattern;

/**
 * Whether the comments at a call, or the Javadoc and comments above its method, say that an
 * abortive close is meant: "force abortive close (RST)", "hard close", "send a RST on purpose".
 * A maintainer who wrote that did not leave a bug: field runs found such resets deliberate every
 * time (docs/checks/field-results.md).
 */
final class AbortComments {

  /**
   * Phrases of intent, not single words: a comment that explains the hazard ("Linux then sends
   * RST") names a reset too, but does not ask for one.
   */
  private static final Pattern ABORT_WORDS = Pattern.compile("(?i)"
      + "forc\\w*\\W+(an?\\W+)?(abortive\\W+|hard\\W+|immediate\\W+)?(close|reset|rst|disconnect)"
      + "|abortive(ly)?\\W+clos|hard\\W+close|deliberate\\w*\\W+(abort|reset|rst)"
      + "|(send|sends|cause|causes|want|wants|intended|on purpose)\\W+(an?\\W+)?(rst|reset)\\b");

  /**
   * A reference to an issue: an issue tracker's address, a key such as {@code JGRP-2748} or
   * {@code HTTPCORE-658}, or "bug 57621". At the call that sets SO_LINGER to 0 (not in the
   * method's Javadoc, which may cite an issue about anything), it says the abort was asked for
   * in that issue: JGroups sets it on an SSLSocket, citing JGRP-2748, because an SSLSocket's
   * close must not block.
   */
  private static final Pattern ISSUE_REFERENCE = Pattern.compile(
      "https?://\\S*(/browse/|/issues?/|show_bug\\.cgi|/bugs?/|/pull/)"
          + "|\\b[A-Z][A-Z0-9]+-\\d{3,}\\b|(?i)\\b(bug|issue|bz)\\W{0,2}\\d{3,}");

  private AbortComments() {}

  /**
   * True if the call's statement (or the {@code if} whose branch it is, or the {@code try} it
   * opens, as in httpcore 4.4.1's {@code shutdown()}, which wraps the SO_LINGER call in a try
   * under its "force abortive close (RST)") carries a comment naming the abort or citing the issue
   * that asked for it, or its method a comment naming the abort.
   */
  static boolean documentTheAbort(VisitorState state) {
    CharSequence source = state.getSourceCode();
    if (source == null) {
      return false;
    }
    StringBuilder atCall = new StringBuilder();
    Tree child = null;
    Tree statement = null;
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (child == null && leaf instanceof StatementTree) {
        statement = leaf;
        atCall.append(commentsAbove(source, start(leaf)))
            .append(commentAfter(source, state.getEndPosition(leaf)));
      } else if (child != null && leaf instanceof TryTree attempt && attempt.getBlock() == child
          && attempt.getBlock().getStatements().get(0) == statement) {
        // force abortive close (RST)
        // try { socket.setSoLinger(true, 0); } catch (IOException ex) { } finally { close }
        atCall.append(commentsAbove(source, start(leaf)));
      } else if (child != null && leaf instanceof IfTree ifTree
          && ifTree.getThenStatement() == child) {
        // if (sock instanceof SSLSocket) // https://.../JGRP-2748
        atCall.append(commentsAbove(source, start(leaf)))
            .append(commentAfter(source, state.getEndPosition(ifTree.getCondition())));
      }
      if (leaf instanceof MethodTree || leaf instanceof ClassTree) {
        return !atCall.isEmpty() && (names(atCall) || ISSUE_REFERENCE.matcher(atCall).find())
            || (leaf instanceof MethodTree && names(commentsAbove(source, start(leaf))));
      }
      if (child != null || leaf instanceof StatementTree) {
        child = leaf;
      }
    }
    return false;
  }

  private static boolean names(CharSequence comments) {
    return ABORT_WORDS.matcher(comments).find();
  }

  private static int start(Tree tree) {
    return ASTHelpers.getStartPosition(tree);
  }

  /** The comment lines (and annotations) right above {@code position}, up to code or a blank. */
  private static String commentsAbove(CharSequence source, int position) {
    StringBuilder comments = new StringBuilder();
    int lineStart = lineStart(source, position);
    while (lineStart > 0) {
      int previous = lineStart(source, lineStart - 1);
      String line = source.subSequence(previous, lineStart).toString().strip();
      boolean comment = line.startsWith("//") || line.startsWith("/*") || line.startsWith("*")
          || line.endsWith("*/");
      if (!comment && !line.startsWith("@")) {
        break;
      }
      comments.append(line).append('\n');
      lineStart = previous;
    }
    return comments.toString();
  }

  /** A {@code // ...} comment at the end of the line where the statement ends. */
  private static String commentAfter(CharSequence source, int end) {
    if (end < 0 || end > source.length()) {
      return "";
    }
    int lineEnd = end;
    while (lineEnd < source.length() && source.charAt(lineEnd) != '\n') {
      lineEnd++;
    }
    String rest = source.subSequence(end, lineEnd).toString();
    int comment = rest.indexOf("//");
    return comment < 0 ? "" : rest.substring(comment);
  }

  private static int lineStart(CharSequence source, int position) {
    int start = Math.min(position, source.length());
    while (start > 0 && source.charAt(start - 1) != '\n') {
      start--;
    }
    return start;
  }
}
