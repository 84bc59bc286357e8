package io.teardownguard.agent.core;

import io.teardownguard.agent.observation.LocalTimeWait;
import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.semantics.TeardownModel;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@link QuietVerdicts}' resource when the agent is built (agent/pom.xml): asks the model
 * about every plain snapshot, on each JDK release from the first to the last given, as the agent
 * would at run time. Never loaded by the agent.
 */
public final class QuietVerdictsBuilder {
  private QuietVerdictsBuilder() {}

  /** {@code OUTPUT_DIRECTORY FIRST_FEATURE LAST_FEATURE}: the resource goes into the class directory. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: QuietVerdictsBuilder OUTPUT_DIRECTORY FIRST_FEATURE LAST_FEATURE");
    }
    int first = Integer.parseInt(args[1]);
    int last = Integer.parseInt(args[2]);
    Path file = Path.of(args[0], QuietVerdicts.class.getPackageName().replace('.', '/'), QuietVerdicts.RESOURCE);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      write(new DataOutputStream(out), first, last);
    }
  }

  private static void write(DataOutputStream out, int first, int last) throws IOException {
    List<byte[]> tables = new ArrayList<>();
    byte[] tableOf = new byte[last - first + 1];
    for (int feature = first; feature <= last; feature++) {
      byte[] table = table(feature);
      int known = indexOf(tables, table);
      if (known < 0) {
        known = tables.size();
        tables.add(table);
      }
      tableOf[feature - first] = (byte) known;
    }
    out.writeInt(first);
    out.writeInt(last);
    out.write(tableOf);
    out.writeInt(tables.size());
    for (byte[] table : tables) {
      out.write(table);
    }
    out.flush();
  }

  private static int indexOf(List<byte[]> tables, byte[] table) {
    for (int i = 0; i < tables.size(); i++) {
      if (Arrays.equals(tables.get(i), table)) {
        return i;
      }
    }
    return -1;
  }

  /** Every verdict on this JDK release, at {@link QuietVerdicts#index}. */
  static byte[] table(int jdkFeature) {
    byte[] table = new byte[QuietVerdicts.SIZE];
    boolean[] flags = {false, true};
    for (JavaApi api : JavaApi.values()) {
      for (ChannelMode mode : ChannelMode.values()) {
        for (TeardownCall.Op op : TeardownCall.Op.values()) {
          TeardownCall call = TeardownCall.of(op);
          if (api.isListener()) {
            // Snapshots.verdict asks listeners one question whatever their other facts.
            table[QuietVerdicts.index(api, mode, TcpState.LISTEN, false, false, false, op)] =
                (byte) verdict(SocketSnapshot.listener(api, mode, jdkFeature, 0), call);
            continue;
          }
          for (TcpState state : TcpState.values()) {
            for (boolean connected : flags) {
              for (boolean inputShut : flags) {
                for (boolean outputShut : flags) {
                  SocketSnapshot snapshot =
                      Snapshots.plainSnapshot(api, mode, jdkFeature, state, connected, inputShut, outputShut);
                  table[QuietVerdicts.index(api, mode, state, connected, inputShut, outputShut, op)] =
                      (byte) verdict(snapshot, call);
                }
              }
            }
          }
        }
      }
    }
    return table;
  }

  /** Quiet when the model finds nothing and loses no byte; else the model decides at run time. */
  static int verdict(SocketSnapshot snapshot, TeardownCall call) {
    Outcome outcome;
    try {
      outcome = TeardownModel.predict(snapshot, call);
    } catch (RuntimeException e) {
      return QuietVerdicts.MODEL; // a combination the model refuses: it refuses it at run time too
    }
    if (!outcome.findings().isEmpty() || outcome.discardedReceiveBytes() != 0 || outcome.discardedSendBytes() != 0) {
      return QuietVerdicts.MODEL;
    }
    return QuietVerdicts.quiet(OutcomeClass.of(outcome.allWire()), LocalTimeWait.after(outcome));
  }
}
