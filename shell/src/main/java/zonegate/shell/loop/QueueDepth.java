package zonegate.shell.loop;

/**
 * How full one kind of the loop's bounded queues is at the moment it was read (from any thread, so a
 * reading may be a batch off): {@code queue} is {@code device_in} or {@code udp_in} (batches read and
 * waiting for the state thread), {@code device_out} or {@code udp_out} (batches the state thread holds
 * or handed to a writer and not yet sent), or {@code commands} (commands waiting, {@code used} and
 * {@code capacity} in commands). Each is summed over the loop's TUN queues or sockets.
 *
 * @param used batches (commands) in use
 * @param capacity batches (commands) that kind of queue holds in all; {@code used == capacity} on an
 *                 output queue means new output is dropped ({@code outbound_queue_full})
 */
public record QueueDepth(String queue, int used, int capacity) {
}
