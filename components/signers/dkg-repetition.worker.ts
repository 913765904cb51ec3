/** Web Worker computing aux-info proof repetitions for the wizard's DKG worker (lib/mpc's repetition worker). */
import "@/lib/mpc/worker/repetition.worker";
