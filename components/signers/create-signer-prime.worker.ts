/** Web Worker generating one safe prime for the wizard's DKG parties (lib/mpc's prime worker). */
import "@/lib/mpc/worker/prime.worker";
